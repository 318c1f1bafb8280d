package io.outrigger.proxy.upstream.pool;

import java.nio.charset.StandardCharsets;

/**
 * The words of an upstream's status line that repeat on every response ({@code HTTP/1.1}, {@code
 * 200}, {@code OK}) as shared strings, for the response decoder to use instead of a new string and
 * its bytes per word per response (about 110 bytes a response). {@link
 * io.outrigger.proxy.codec.KnownHeaderNames} does the same for the header names.
 *
 * <p>A word is shared only when the received bytes are exactly its bytes, case included; any other
 * word is decoded as before, so what goes downstream is what came.
 */
final class StatusLineWords {
  private static final String[] VERSION_STRINGS = {"HTTP/1.1", "HTTP/1.0"};
  private static final byte[][] VERSIONS = ascii(VERSION_STRINGS);

  private static final String[] REASON_STRINGS = {
    "OK",
    "Created",
    "Accepted",
    "No Content",
    "Partial Content",
    "Moved Permanently",
    "Found",
    "See Other",
    "Not Modified",
    "Temporary Redirect",
    "Permanent Redirect",
    "Bad Request",
    "Unauthorized",
    "Forbidden",
    "Not Found",
    "Method Not Allowed",
    "Conflict",
    "Gone",
    "Too Many Requests",
    "Internal Server Error",
    "Not Implemented",
    "Bad Gateway",
    "Service Unavailable",
    "Gateway Timeout"
  };
  private static final byte[][] REASONS = ascii(REASON_STRINGS);

  /**
   * The status codes 100 to 599 as strings, each made the first time an upstream sends it. Event
   * loops may race to fill a slot; each writes an equal immutable string, and a loop that does not
   * see another's write makes its own.
   */
  private static final String[] CODES = new String[500];

  private StatusLineWords() {}

  /** The shared protocol version whose bytes are exactly {@code sb[start, start + length)}. */
  static String version(byte[] sb, int start, int length) {
    int i = find(VERSIONS, sb, start, length);
    return i < 0 ? null : VERSION_STRINGS[i];
  }

  /** The shared three-digit status code 100 to 599 those bytes spell, else null. */
  static String code(byte[] sb, int start, int length) {
    if (length != 3) {
      return null;
    }
    int code = 0;
    for (int i = start; i < start + 3; i++) {
      int digit = sb[i] - '0';
      if (digit < 0 || digit > 9) {
        return null;
      }
      code = code * 10 + digit;
    }
    if (code < 100 || code > 599) {
      return null;
    }
    String s = CODES[code - 100];
    if (s == null) {
      s = Integer.toString(code);
      CODES[code - 100] = s;
    }
    return s;
  }

  /** The shared reason phrase whose bytes are exactly those, else null. */
  static String reason(byte[] sb, int start, int length) {
    int i = find(REASONS, sb, start, length);
    return i < 0 ? null : REASON_STRINGS[i];
  }

  private static int find(byte[][] words, byte[] sb, int start, int length) {
    for (int w = 0; w < words.length; w++) {
      byte[] word = words[w];
      if (word.length != length) {
        continue;
      }
      int j = 0;
      while (j < length && word[j] == sb[start + j]) {
        j++;
      }
      if (j == length) {
        return w;
      }
    }
    return -1;
  }

  private static byte[][] ascii(String... words) {
    byte[][] out = new byte[words.length][];
    for (int i = 0; i < words.length; i++) {
      out[i] = words[i].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }
}
