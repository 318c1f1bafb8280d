package io.outrigger.kvstore;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of keys into request paths. */
final class Paths {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Paths() {}

  /** Every byte outside RFC 3986's unreserved set is percent-encoded, '/' included. */
  static String encode(String key) {
    StringBuilder out = new StringBuilder(key.length() + 8);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }
}
