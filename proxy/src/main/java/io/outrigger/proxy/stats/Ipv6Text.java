package io.outrigger.proxy.stats;

/**
 * An IPv6 address written as Envoy writes it, with {@code inet_ntop}: lower-case hexadecimal groups
 * without leading zeros, the longest run of two or more zero groups (the first of equally long
 * ones) written {@code ::}, and the last 32 bits in dotted form for IPv4-compatible ({@code
 * ::1.2.3.4}) and IPv4-mapped ({@code ::ffff:1.2.3.4}) addresses. Java's {@code getHostAddress()}
 * writes every group ({@code 0:0:0:0:0:0:0:0}), which is not the name Envoy's dashboards match.
 */
final class Ipv6Text {
  private Ipv6Text() {}

  /** {@code bytes}: the 16 bytes of the address, network order. */
  static String of(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException("bytes: " + bytes.length + " (expected: 16)");
    }
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestBase = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (words[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && words[i] == 0) {
        i++;
      }
      if (i - start > bestLen) {
        bestBase = start;
        bestLen = i - start;
      }
    }
    if (bestLen < 2) {
      bestBase = -1;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestBase) {
        out.append(':');
        i += bestLen - 1;
        if (i == 7) {
          out.append(':');
        }
        continue;
      }
      if (i > 0) {
        out.append(':');
      }
      if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
        out.append(bytes[12] & 0xff).append('.').append(bytes[13] & 0xff).append('.');
        out.append(bytes[14] & 0xff).append('.').append(bytes[15] & 0xff);
        break;
      }
      out.append(Integer.toHexString(words[i]));
    }
    return out.toString();
  }
}
