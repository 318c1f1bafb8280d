package io.outrigger.proxy.upstream.pool;

import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Locale;

/**
 * The header names upstream responses usually carry, as shared constants, for the response decoder
 * to use instead of a new {@link AsciiString} and its bytes per header per response (Netty's
 * request decoder does the same for five request headers; its response decoder for none).
 *
 * <p>A name is reused only when the received bytes are exactly the constant's, case included, so
 * the name goes downstream as it came; any other spelling is decoded as before.
 */
final class ResponseHeaderNames {
  private static final String[] NAMES = {
    "Server", "Date", "Content-Type", "Content-Length", "Connection", "Keep-Alive",
    "Transfer-Encoding", "Cache-Control", "Vary", "ETag", "Last-Modified", "Expires",
    "Accept-Ranges", "Content-Encoding", "Location"
  };

  /** By length: the title-case and lower-case spellings of the names of that length. */
  private static final AsciiString[][] BY_LENGTH = byLength();

  private ResponseHeaderNames() {}

  /** The shared name whose bytes are exactly {@code sb[start, start + length)}, else null. */
  static AsciiString lookup(byte[] sb, int start, int length) {
    if (length >= BY_LENGTH.length) {
      return null;
    }
    AsciiString[] candidates = BY_LENGTH[length];
    for (int i = 0; i < candidates.length; i++) {
      AsciiString c = candidates[i];
      byte[] bytes = c.array();
      int offset = c.arrayOffset();
      int j = 0;
      while (j < length && bytes[offset + j] == sb[start + j]) {
        j++;
      }
      if (j == length) {
        return c;
      }
    }
    return null;
  }

  private static AsciiString[][] byLength() {
    int max = 0;
    for (String n : NAMES) {
      max = Math.max(max, n.length());
    }
    AsciiString[][] out = new AsciiString[max + 1][0];
    for (String n : NAMES) {
      out[n.length()] = append(out[n.length()], AsciiString.cached(n));
      out[n.length()] = append(out[n.length()], AsciiString.cached(n.toLowerCase(Locale.ROOT)));
    }
    return out;
  }

  private static AsciiString[] append(AsciiString[] a, AsciiString v) {
    AsciiString[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }
}
