package io.outrigger.proxy.codec;

import io.netty.util.AsciiString;

/**
 * The decimal text of the numbers 0 to 999 as shared {@link AsciiString}s, each made the first time
 * it is asked for: the header values a proxy writes as numbers on every message ({@code
 * content-length} of a local reply, {@code x-envoy-upstream-service-time}) are mostly small and
 * repeat, and a new string per message is garbage. A value is immutable, so sharing it across event
 * loops is safe; two loops that miss at once each make one, and either is kept.
 */
final class SmallNumbers {
  static final int LIMIT = 1000;
  private static final AsciiString[] TEXT = new AsciiString[LIMIT];

  private SmallNumbers() {}

  /** The text of {@code n}, shared when {@code 0 <= n < LIMIT}; else {@code null}. */
  static AsciiString text(long n) {
    if (n < 0 || n >= LIMIT) {
      return null;
    }
    int i = (int) n;
    AsciiString t = TEXT[i];
    if (t == null) {
      t = AsciiString.cached(Integer.toString(i));
      TEXT[i] = t;
    }
    return t;
  }
}
