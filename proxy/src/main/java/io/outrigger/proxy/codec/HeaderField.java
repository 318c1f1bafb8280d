package io.outrigger.proxy.codec;

import io.netty.util.AsciiString;
import java.util.Map;

/**
 * One field: its name, its value, and the name's hash without case. The hash fits in the padding of
 * a two-reference object, so a field costs what an {@code AbstractMap} entry does.
 */
final class HeaderField implements Map.Entry<CharSequence, CharSequence> {
  final CharSequence name;
  final CharSequence value;
  final int hash;

  HeaderField(CharSequence name, CharSequence value) {
    this.name = name;
    this.value = value;
    this.hash = AsciiString.hashCode(name);
  }

  @Override
  public CharSequence getKey() {
    return name;
  }

  @Override
  public CharSequence getValue() {
    return value;
  }

  @Override
  public CharSequence setValue(CharSequence value) {
    throw new UnsupportedOperationException("a header field is immutable; set the header");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Map.Entry<?, ?> e && name.equals(e.getKey()) && value.equals(e.getValue());
  }

  @Override
  public int hashCode() {
    return name.hashCode() ^ value.hashCode();
  }

  @Override
  public String toString() {
    return name + "=" + value;
  }
}
