package io.outrigger.proxy.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link CompactHeaders} against Netty's {@code DefaultHttpHeaders}: the same seeded random
 * operations on both, and every answer compared after each one.
 */
class CompactHeadersTest {
  private static final CharSequence[] NAMES = {
    "Host",
    "host",
    HttpHeaderNames.HOST,
    "X-Forwarded-For",
    AsciiString.of("x-forwarded-for"),
    HttpHeaderNames.CONTENT_LENGTH,
    "Transfer-Encoding",
    "x-a",
    "X-B",
    "Date"
  };
  private static final Object[] VALUES = {
    "a",
    "1",
    "42",
    "-7",
    "70000",
    "a, b",
    "b",
    "B",
    "",
    "a,",
    ",b",
    " , b ,,a",
    "Close",
    AsciiString.of("12"),
    5,
    new Date(0L)
  };
  private static final String[] BAD_NAMES = {"bad name", "a:b", "caf\u00e9", ""};
  private static final String[] BAD_VALUES = {"a\r\nb", "a\nb", "\u0000"};

  @Test
  void answersAsNettysHeadersDoAfterEveryRandomOperation() {
    for (long seed = 1; seed <= 40; seed++) {
      differential(
          seed, DefaultHttpHeadersFactory.headersFactory(), CompactHeaders.HEADERS, "headers");
    }
  }

  @Test
  void trailersRefuseWhatNettysTrailersRefuse() {
    for (long seed = 1; seed <= 10; seed++) {
      differential(
          seed, DefaultHttpHeadersFactory.trailersFactory(), CompactHeaders.TRAILERS, "trailers");
    }
    HttpHeaders trailers = CompactHeaders.TRAILERS.newHeaders();
    assertThatThrownBy(() -> trailers.add("Content-Length", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(trailers.isEmpty()).isTrue();
  }

  @Test
  void unvalidatedHeadersTakeWhatTheValidatingOnesRefuse() {
    HttpHeaders h = CompactHeaders.UNVALIDATED.newHeaders();
    h.add("bad name", "a\r\nb");
    assertThat(h.get("BAD NAME")).isEqualTo("a\r\nb");
    assertThatThrownBy(() -> CompactHeaders.HEADERS.newHeaders().add("bad name", "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCopyHasTheSameFieldsAndChangesAlone() {
    HttpHeaders h = CompactHeaders.HEADERS.newHeaders();
    for (int i = 0; i < 20; i++) {
      h.add("x-" + (i % 3), Integer.toString(i));
    }
    HttpHeaders copy = h.copy();
    assertThat(copy).isInstanceOf(CompactHeaders.class).isEqualTo(h).hasSameHashCodeAs(h);

    copy.remove("X-1").add("x-new", "v");
    assertThat(h.getAll("x-1")).hasSize(7);
    assertThat(h.contains("x-new")).isFalse();
    assertThat(copy).isNotEqualTo(h);
    assertThat(copy.size()).isEqualTo(20 - 7 + 1);
  }

  @Test
  void equalityComparesNamesWithoutCaseAndEachNamesValuesInOrder() {
    HttpHeaders a = CompactHeaders.HEADERS.newHeaders().add("Host", "h").add("x-a", "1");
    a.add("x-a", "2");
    HttpHeaders b = CompactHeaders.HEADERS.newHeaders().add("X-A", "1").add("host", "h");
    b.add("X-a", "2");
    HttpHeaders c = CompactHeaders.HEADERS.newHeaders().add("x-a", "2").add("x-a", "1");
    c.add("host", "h");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
  }

  private static void differential(
      long seed, HttpHeadersFactory nettyFactory, HttpHeadersFactory ours, String what) {
    SplittableRandom random = new SplittableRandom(seed);
    HttpHeaders expected = nettyFactory.newHeaders();
    HttpHeaders actual = ours.newHeaders();
    List<String> ops = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      String op = apply(random, expected, actual);
      ops.add(op);
      assertSame(expected, actual, what + " seed " + seed + " after " + ops);
    }
  }

  /** One random operation on both; an operation that throws must throw alike and change nothing. */
  private static String apply(SplittableRandom random, HttpHeaders expected, HttpHeaders actual) {
    CharSequence name = pick(random, NAMES);
    Object value = pick(random, VALUES);
    int kind = random.nextInt(12);
    String op =
        switch (kind) {
          case 0, 1, 2 -> "add(" + name + ", " + value + ")";
          case 3 -> "set(" + name + ", " + value + ")";
          case 4 -> "remove(" + name + ")";
          case 5 -> "addInt(" + name + ")";
          case 6 -> "set(" + name + ", [" + value + ", b])";
          case 7 -> "add(" + name + ", [" + value + ", b])";
          case 8 -> "clear()";
          case 9 -> "add(badName)";
          case 10 -> "add(badValue)";
          default -> "setInt(" + name + ")";
        };
    String badName = pick(random, BAD_NAMES);
    String badValue = pick(random, BAD_VALUES);
    Throwable e = run(expected, kind, name, value, badName, badValue);
    Throwable a = run(actual, kind, name, value, badName, badValue);
    assertThat(a == null ? null : a.getClass())
        .as("%s threw %s", op, e)
        .isEqualTo(e == null ? null : e.getClass());
    return op;
  }

  private static Throwable run(
      HttpHeaders h, int kind, CharSequence name, Object value, String badName, String badValue) {
    try {
      switch (kind) {
        case 0, 1, 2 -> h.add(name, value);
        case 3 -> h.set(name, value);
        case 4 -> h.remove(name);
        case 5 -> h.addInt(name, 7);
        case 6 -> h.set(name, List.of(value, "b"));
        case 7 -> h.add(name, List.of(value, "b"));
        case 8 -> h.clear();
        case 9 -> h.add(badName, "v");
        case 10 -> h.add(name, badValue);
        default -> h.setInt(name, 9);
      }
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static void assertSame(HttpHeaders expected, HttpHeaders actual, String where) {
    assertThat(actual.size()).as(where).isEqualTo(expected.size());
    assertThat(actual.isEmpty()).as(where).isEqualTo(expected.isEmpty());
    assertThat(strings(actual.iteratorCharSequence()))
        .as(where)
        .isEqualTo(strings(expected.iteratorCharSequence()));
    assertThat(actual.entries()).as(where).isEqualTo(expected.entries());
    // Netty's set holds a name twice when it came once as a String and once as an AsciiString.
    assertThat(actual.names())
        .as(where)
        .containsExactlyElementsOf(new java.util.LinkedHashSet<>(expected.names()));
    for (CharSequence name : NAMES) {
      assertThat(actual.get(name)).as(where).isEqualTo(expected.get(name));
      assertThat(actual.getAll(name)).as(where).isEqualTo(expected.getAll(name));
      assertThat(actual.contains(name)).as(where).isEqualTo(expected.contains(name));
      if (actual instanceof CompactHeaders compact) {
        int all = expected.getAll(name).size();
        assertThat(compact.count(name, Integer.MAX_VALUE)).as(where).isEqualTo(all);
        assertThat(compact.count(name, 2)).as(where).isEqualTo(Math.min(all, 2));
      }
      assertThat(actual.getInt(name)).as(where).isEqualTo(expected.getInt(name));
      assertThat(actual.getShort(name)).as(where).isEqualTo(expected.getShort(name));
      assertThat(actual.getTimeMillis(name)).as(where).isEqualTo(timeMillis(expected, name));
      // Netty's value iterator runs newest first (its hash chain's order), unlike its getAll;
      // CompactHeaders' runs in arrival order, as getAll. Nothing reads an order from it.
      assertThat(strings(actual.valueCharSequenceIterator(name)))
          .as(where)
          .isEqualTo(actual.getAll(name))
          .containsExactlyInAnyOrderElementsOf(strings(expected.valueCharSequenceIterator(name)));
      for (boolean ignoreCase : new boolean[] {true, false}) {
        for (String v : new String[] {"b", "a, b", "1", "", "close", "a"}) {
          assertThat(actual.contains(name, v, ignoreCase))
              .as(where + " contains(%s, %s, %s)", name, v, ignoreCase)
              .isEqualTo(expected.contains(name, v, ignoreCase));
          assertThat(actual.containsValue(name, v, ignoreCase))
              .as(where + " containsValue(%s, %s, %s)", name, v, ignoreCase)
              .isEqualTo(expected.containsValue(name, v, ignoreCase));
        }
      }
    }
  }

  /**
   * Netty's answer, except that where a value is not a date it throws a (checked) {@code
   * ParseException} instead of answering null as {@code HttpHeaders.getTimeMillis} says.
   */
  private static Long timeMillis(HttpHeaders netty, CharSequence name) {
    try {
      return netty.getTimeMillis(name);
    } catch (Exception e) {
      assertThat(e).isInstanceOf(java.text.ParseException.class);
      return null;
    }
  }

  private static List<String> strings(Iterator<?> it) {
    List<String> out = new ArrayList<>();
    while (it.hasNext()) {
      Object o = it.next();
      out.add(o instanceof Map.Entry<?, ?> e ? e.getKey() + "=" + e.getValue() : String.valueOf(o));
    }
    return out;
  }

  private static <T> T pick(SplittableRandom random, T[] from) {
    return from[random.nextInt(from.length)];
  }
}
