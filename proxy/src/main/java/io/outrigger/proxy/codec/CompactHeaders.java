package io.outrigger.proxy.codec;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.DefaultHeaders.ValueValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A message's header fields as one array in arrival order, instead of Netty's hash table.
 *
 * <p>Why: Netty's {@code DefaultHttpHeaders} is a wrapper, a hash table of sixteen slots, a list
 * head and a 40-byte entry per field, so a request with four fields costs about 400 bytes before
 * its strings, and every proxied request has two such objects (its own and its response's). Here
 * the fields are one array of names and values side by side (name at {@code 2i}, value at {@code 2i
 * + 1}): 80 bytes for up to eight fields, no object per field, doubling when full; an empty set of
 * trailers costs one small object. An entry object is made only for a caller of the iterators of
 * {@code Map.Entry}; Outrigger's own code reads {@link #nameAt} and {@link #valueAt}.
 *
 * <p>A 64-bit mask of the names' hashes present (hashed as Netty's table does, cached in the {@code
 * AsciiString} constants that name most lookups) answers most lookups, which are for names the
 * message does not carry; the others scan the names, comparing lengths first. A request has at most
 * {@code max_headers_count} fields (100 by default; the connection manager refuses more right after
 * decoding), so the scans stay short.
 *
 * <p>The semantics are {@code DefaultHttpHeaders}': names compare case-insensitively and keep the
 * case they came with; {@link #get} gives the first value; {@link #set} removes every field of the
 * name and appends one; {@link #remove} removes them all; iteration is in arrival order; values are
 * converted as Netty converts them (a {@code CharSequence} as it is, a {@code Date} or {@code
 * Calendar} as an HTTP date, anything else by {@code toString}); names and values pass the
 * validators of the Netty factory each instance is made from, before anything changes. {@code
 * CompactHeadersTest} runs the same random operations on both and compares every answer.
 *
 * <p>Not thread-safe, as Netty's headers are not: a message belongs to one event loop.
 */
public final class CompactHeaders extends HttpHeaders {
  /** Request and response headers, names and values validated as Netty's default factory does. */
  public static final HttpHeadersFactory HEADERS =
      new Factory(DefaultHttpHeadersFactory.headersFactory());

  /**
   * Trailers, validated as Netty's trailers factory does: it also refuses the names a trailer must
   * not carry ({@code content-length}, {@code transfer-encoding}, {@code trailer}).
   */
  public static final HttpHeadersFactory TRAILERS =
      new Factory(DefaultHttpHeadersFactory.trailersFactory());

  /** Headers whose names and values were checked before they arrive (by the HTTP/2 path). */
  public static final HttpHeadersFactory UNVALIDATED =
      new Factory(DefaultHttpHeadersFactory.headersFactory().withValidation(false));

  private static final CharSequence[] NONE = new CharSequence[0];

  /** Slots for eight fields: a name and a value each. */
  private static final int FIRST_CAPACITY = 16;

  /** The validators, by way of the factory: one field instead of two, 8 bytes less per message. */
  private final Factory factory;

  /** Field {@code i}'s name at {@code 2i} and its value at {@code 2i + 1}; null past the fields. */
  private CharSequence[] slots;

  /**
   * One bit per name hash modulo 64 present: most lookups are for names a message does not carry
   * ({@code Transfer-Encoding}, {@code Expect}, {@code Upgrade}, the hop-by-hop names ...), and the
   * bit answers them without a scan.
   */
  private long present;

  /** Fields, not slots. */
  private int size;

  private CompactHeaders(Factory factory, CharSequence[] slots, long present, int size) {
    this.factory = factory;
    this.slots = slots;
    this.present = present;
    this.size = size;
  }

  // ---- reading

  @Override
  public String get(String name) {
    return get((CharSequence) name);
  }

  @Override
  public String get(CharSequence name) {
    CharSequence v = first(name);
    return v == null ? null : v.toString();
  }

  @Override
  public Integer getInt(CharSequence name) {
    CharSequence v = first(name);
    if (v == null) {
      return null;
    }
    try {
      return v instanceof AsciiString a ? a.parseInt() : Integer.parseInt(v.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public int getInt(CharSequence name, int defaultValue) {
    Integer v = getInt(name);
    return v == null ? defaultValue : v;
  }

  /** The first value as a number in a short's range, else null (as Netty's parse to short). */
  @Override
  public Short getShort(CharSequence name) {
    Integer v = getInt(name);
    return v == null || v != v.shortValue() ? null : v.shortValue();
  }

  @Override
  public short getShort(CharSequence name, short defaultValue) {
    Short v = getShort(name);
    return v == null ? defaultValue : v;
  }

  @Override
  public Long getTimeMillis(CharSequence name) {
    CharSequence v = first(name);
    Date date = v == null ? null : DateFormatter.parseHttpDate(v);
    return date == null ? null : date.getTime();
  }

  @Override
  public long getTimeMillis(CharSequence name, long defaultValue) {
    Long v = getTimeMillis(name);
    return v == null ? defaultValue : v;
  }

  @Override
  public List<String> getAll(String name) {
    return getAll((CharSequence) name);
  }

  @Override
  public List<String> getAll(CharSequence name) {
    int hash = hash(name);
    int first = indexOf(name, hash, 0);
    if (first < 0) {
      return Collections.emptyList();
    }
    int next = indexOf(name, hash, first + 1);
    if (next < 0) {
      return Collections.singletonList(value(first).toString());
    }
    List<String> all = new ArrayList<>(4);
    all.add(value(first).toString());
    for (int i = next; i >= 0; i = indexOf(name, hash, i + 1)) {
      all.add(value(i).toString());
    }
    return all;
  }

  @Override
  public List<Map.Entry<String, String>> entries() {
    List<Map.Entry<String, String>> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(new SimpleImmutableEntry<>(name(i).toString(), value(i).toString()));
    }
    return all;
  }

  @Override
  public boolean contains(String name) {
    return indexOf(name, 0) >= 0;
  }

  @Override
  public boolean contains(CharSequence name) {
    return indexOf(name, 0) >= 0;
  }

  /**
   * How many fields carry this name, counted up to {@code limit}: what {@code getAll(name).size()}
   * answers when it is at most {@code limit}, without the list or an iterator.
   */
  public int count(CharSequence name, int limit) {
    int hash = hash(name);
    int n = 0;
    for (int i = indexOf(name, hash, 0); i >= 0 && n < limit; i = indexOf(name, hash, i + 1)) {
      n++;
    }
    return n;
  }

  @Override
  public boolean contains(String name, String value, boolean ignoreCase) {
    return contains((CharSequence) name, value, ignoreCase);
  }

  /** Whether a field of this name has exactly this value (the whole value, not a list element). */
  @Override
  public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
    requireNonNull(value, "value");
    int hash = hash(name);
    for (int i = indexOf(name, hash, 0); i >= 0; i = indexOf(name, hash, i + 1)) {
      CharSequence v = value(i);
      if (ignoreCase
          ? AsciiString.contentEqualsIgnoreCase(v, value)
          : AsciiString.contentEquals(v, value)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a field of this name lists this value as one of its comma-separated elements, each
   * trimmed; as Netty's, but without an iterator or a substring per call ({@code HttpUtil} asks
   * this several times per message: {@code Connection: close}, {@code chunked}, {@code Expect}).
   */
  @Override
  public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
    requireNonNull(value, "value");
    int hash = hash(name);
    for (int i = indexOf(name, hash, 0); i >= 0; i = indexOf(name, hash, i + 1)) {
      if (HeaderLists.hasElement(value(i), value, ignoreCase)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return new Fields<>() {
      @Override
      Map.Entry<String, String> at(int i) {
        return new SimpleImmutableEntry<>(name(i).toString(), value(i).toString());
      }
    };
  }

  @Override
  public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
    return new Fields<>() {
      @Override
      Map.Entry<CharSequence, CharSequence> at(int i) {
        return new SimpleImmutableEntry<>(name(i), value(i));
      }
    };
  }

  @Override
  public Iterator<String> valueStringIterator(CharSequence name) {
    return new Values<>(name) {
      @Override
      String at(int i) {
        return value(i).toString();
      }
    };
  }

  @Override
  public Iterator<CharSequence> valueCharSequenceIterator(CharSequence name) {
    return new Values<>(name) {
      @Override
      CharSequence at(int i) {
        return value(i);
      }
    };
  }

  /** The name of the field at {@code index}, in arrival order ({@code 0 <= index < size()}). */
  public CharSequence nameAt(int index) {
    return name(Objects.checkIndex(index, size));
  }

  /** The value of the field at {@code index}, in arrival order ({@code 0 <= index < size()}). */
  public CharSequence valueAt(int index) {
    return value(Objects.checkIndex(index, size));
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public int size() {
    return size;
  }

  /** The names in arrival order; as Netty's, a name that came in two cases is there twice. */
  @Override
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      names.add(name(i).toString());
    }
    return names;
  }

  // ---- writing

  @Override
  public HttpHeaders add(String name, Object value) {
    return add((CharSequence) name, value);
  }

  @Override
  public HttpHeaders add(CharSequence name, Object value) {
    validateName(name);
    append(name, valueOf(value));
    return this;
  }

  @Override
  public HttpHeaders add(String name, Iterable<?> values) {
    return add((CharSequence) name, values);
  }

  @Override
  public HttpHeaders add(CharSequence name, Iterable<?> values) {
    validateName(name);
    for (Object value : values) {
      append(name, valueOf(value));
    }
    return this;
  }

  @Override
  public HttpHeaders add(HttpHeaders headers) {
    if (headers == this) {
      throw new IllegalArgumentException("can't add to itself.");
    }
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> field = it.next();
      add(field.getKey(), field.getValue());
    }
    return this;
  }

  @Override
  public HttpHeaders addInt(CharSequence name, int value) {
    return add(name, number(value));
  }

  @Override
  public HttpHeaders addShort(CharSequence name, short value) {
    return add(name, Short.toString(value));
  }

  @Override
  public HttpHeaders set(String name, Object value) {
    return set((CharSequence) name, value);
  }

  @Override
  public HttpHeaders set(CharSequence name, Object value) {
    validateName(name);
    CharSequence v = valueOf(value);
    removeAll(name);
    append(name, v);
    return this;
  }

  @Override
  public HttpHeaders set(String name, Iterable<?> values) {
    return set((CharSequence) name, values);
  }

  @Override
  public HttpHeaders set(CharSequence name, Iterable<?> values) {
    validateName(name);
    requireNonNull(values, "values");
    removeAll(name);
    for (Object value : values) {
      if (value == null) {
        break; // as Netty's set does
      }
      append(name, valueOf(value));
    }
    return this;
  }

  @Override
  public HttpHeaders set(HttpHeaders headers) {
    requireNonNull(headers, "headers");
    if (headers != this) {
      clear();
      add(headers);
    }
    return this;
  }

  @Override
  public HttpHeaders setInt(CharSequence name, int value) {
    return set(name, number(value));
  }

  @Override
  public HttpHeaders setShort(CharSequence name, short value) {
    return set(name, Short.toString(value));
  }

  @Override
  public HttpHeaders remove(String name) {
    return remove((CharSequence) name);
  }

  @Override
  public HttpHeaders remove(CharSequence name) {
    removeAll(name);
    return this;
  }

  @Override
  public HttpHeaders clear() {
    Arrays.fill(slots, 0, 2 * size, null);
    present = 0;
    size = 0;
    return this;
  }

  /** The same names and values (immutable, so shared) in a new array. */
  @Override
  public HttpHeaders copy() {
    if (size == 0) {
      return new CompactHeaders(factory, NONE, 0, 0);
    }
    return new CompactHeaders(
        factory, Arrays.copyOf(slots, Math.max(2 * size, FIRST_CAPACITY)), present, size);
  }

  /** The same fields: names compared without case, each name's values in the same order. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CompactHeaders other) || other.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      CharSequence name = name(i);
      if (indexOf(name, 0) == i && !getAll(name).equals(other.getAll(name))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < size; i++) {
      h += hash(name(i)) ^ value(i).toString().hashCode();
    }
    return h;
  }

  // ---- inside

  private CharSequence first(CharSequence name) {
    int i = indexOf(name, 0);
    return i < 0 ? null : value(i);
  }

  private CharSequence name(int field) {
    return slots[2 * field];
  }

  private CharSequence value(int field) {
    return slots[2 * field + 1];
  }

  private int indexOf(CharSequence name, int from) {
    return indexOf(name, hash(name), from);
  }

  private int indexOf(CharSequence name, int hash, int from) {
    if ((present & bit(hash)) == 0) {
      return -1;
    }
    int length = name.length();
    for (int i = from; i < size; i++) {
      CharSequence n = slots[2 * i];
      if (n.length() == length && AsciiString.contentEqualsIgnoreCase(n, name)) {
        return i;
      }
    }
    return -1;
  }

  /** A number's decimal text: shared for the small ones ({@link SmallNumbers}). */
  private static CharSequence number(long value) {
    AsciiString shared = SmallNumbers.text(value);
    return shared != null ? shared : Long.toString(value);
  }

  private static int hash(CharSequence name) {
    return AsciiString.hashCode(requireNonNull(name, "name"));
  }

  private static long bit(int hash) {
    return 1L << hash; // the shift takes the low six bits
  }

  private void validateName(CharSequence name) {
    requireNonNull(name, "name");
    factory.nameValidator.validateName(name);
  }

  private CharSequence valueOf(Object value) {
    requireNonNull(value, "value");
    CharSequence v;
    if (value instanceof CharSequence s) {
      v = s;
    } else if (value instanceof Integer || value instanceof Long) {
      v = number(((Number) value).longValue());
    } else if (value instanceof Date d) {
      v = DateFormatter.format(d);
    } else if (value instanceof Calendar c) {
      v = DateFormatter.format(c.getTime());
    } else {
      v = value.toString();
    }
    factory.valueValidator.validate(v);
    return v;
  }

  private void append(CharSequence name, CharSequence value) {
    int at = 2 * size;
    if (at == slots.length) {
      slots = Arrays.copyOf(slots, Math.max(FIRST_CAPACITY, at * 2));
    }
    slots[at] = name;
    slots[at + 1] = value;
    size++;
    present |= bit(hash(name));
  }

  private void removeAll(CharSequence name) {
    int hash = hash(name);
    int first = indexOf(name, hash, 0);
    if (first < 0) {
      return;
    }
    int kept = first;
    long stillPresent = 0;
    for (int i = 0; i < size; i++) {
      CharSequence n = name(i);
      boolean match =
          i >= first && n.length() == name.length() && AsciiString.contentEqualsIgnoreCase(n, name);
      if (!match) {
        if (i >= first) {
          slots[2 * kept] = n;
          slots[2 * kept + 1] = value(i);
          kept++;
        }
        stillPresent |= bit(hash(n));
      }
    }
    Arrays.fill(slots, 2 * kept, 2 * size, null);
    present = stillPresent;
    size = kept;
  }

  /** Every field in order; reads the array as it is at each step, so use it without changes. */
  private abstract class Fields<T> implements Iterator<T> {
    private int next;

    abstract T at(int i);

    @Override
    public boolean hasNext() {
      return next < size;
    }

    @Override
    public T next() {
      if (next >= size) {
        throw new NoSuchElementException();
      }
      return at(next++);
    }
  }

  /** The values of one name, in order. */
  private abstract class Values<T> implements Iterator<T> {
    private final CharSequence name;
    private final int hash;
    private int next;

    Values(CharSequence name) {
      this.name = name;
      this.hash = hash(name);
      this.next = indexOf(name, hash, 0);
    }

    abstract T at(int i);

    @Override
    public boolean hasNext() {
      return next >= 0;
    }

    @Override
    public T next() {
      if (next < 0) {
        throw new NoSuchElementException();
      }
      T value = at(next);
      next = indexOf(name, hash, next + 1);
      return value;
    }
  }

  private static final class Factory implements HttpHeadersFactory {
    private final NameValidator<CharSequence> nameValidator;
    private final ValueValidator<CharSequence> valueValidator;

    Factory(DefaultHttpHeadersFactory netty) {
      this.nameValidator = netty.getNameValidator();
      this.valueValidator = netty.getValueValidator();
    }

    @Override
    public HttpHeaders newHeaders() {
      return new CompactHeaders(this, NONE, 0, 0);
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return newHeaders();
    }
  }
}
