package io.outrigger.proxy.testkit;

import java.io.IOException;
import java.io.InputStream;

/**
 * A byte stream whose every byte is known from its offset, so that a receiver can check a transfer
 * of any length without keeping a copy.
 */
public final class Patterns {
  private Patterns() {}

  public static byte at(long offset) {
    long x = offset * 0x9E3779B97F4A7C15L;
    return (byte) (x >>> 56);
  }

  public static void fill(byte[] buf, long offset, int n) {
    for (int i = 0; i < n; i++) {
      buf[i] = at(offset + i);
    }
  }

  /**
   * Reads {@code in} to its end, checking every byte against the pattern.
   *
   * @return the number of bytes read
   * @throws AssertionError at the first wrong byte, naming its offset
   */
  public static long verify(InputStream in) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long offset = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != at(offset + i)) {
          throw new AssertionError("byte " + (offset + i) + " differs");
        }
      }
      offset += n;
    }
    return offset;
  }
}
