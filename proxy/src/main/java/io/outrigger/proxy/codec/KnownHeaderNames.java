package io.outrigger.proxy.codec;

import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The header names that messages usually carry, as shared constants, for an HTTP/1.1 decoder to use
 * instead of a new {@link AsciiString} and its bytes per header per message (Netty's request
 * decoder shares {@code Host}, {@code Accept}, {@code Connection}, {@code Content-Type} and {@code
 * Content-Length} in title case; its response decoder none). A shared name also carries its hash
 * already computed, which {@link CompactHeaders} reads on every lookup.
 *
 * <p>A name is reused only when the received bytes are exactly the constant's, case included, so
 * the name goes on as it came; any other spelling is decoded as before.
 */
public final class KnownHeaderNames {
  /**
   * What clients and proxies commonly send. {@code Accept} is also one of Netty's: asked first, the
   * table shares its lower-case spelling too.
   */
  public static final KnownHeaderNames REQUESTS =
      new KnownHeaderNames(
          "User-Agent",
          "Accept",
          "Accept-Encoding",
          "Accept-Language",
          "Authorization",
          "Cookie",
          "Referer",
          "Origin",
          "Cache-Control",
          "Pragma",
          "If-None-Match",
          "If-Modified-Since",
          "X-Forwarded-For",
          "X-Forwarded-Proto",
          "X-Request-Id",
          "traceparent",
          "tracestate");

  /**
   * What upstream responses commonly carry: shared by the HTTP/1.1 response decoder, and their
   * lower-case spellings by the conversion of HTTP/1.1 responses to HTTP/2 ({@link #lowerCase}).
   */
  public static final KnownHeaderNames RESPONSES =
      new KnownHeaderNames(
          "Server",
          "Date",
          "Content-Type",
          "Content-Length",
          "Connection",
          "Keep-Alive",
          "Transfer-Encoding",
          "Cache-Control",
          "Vary",
          "ETag",
          "Last-Modified",
          "Expires",
          "Accept-Ranges",
          "Content-Encoding",
          "Location",
          "Set-Cookie",
          "Age",
          "Content-Language",
          "Content-Disposition",
          "Access-Control-Allow-Origin");

  /** By length: the names of that length as listed and in lower case (HTTP/2's spelling). */
  private final AsciiString[][] byLength;

  /** Each listed spelling that is not lower case, to its shared lower-case spelling. */
  private final Map<AsciiString, AsciiString> lowerCase;

  private KnownHeaderNames(String... names) {
    int max = 0;
    for (String n : names) {
      max = Math.max(max, n.length());
    }
    AsciiString[][] out = new AsciiString[max + 1][0];
    Map<AsciiString, AsciiString> lower = new HashMap<>();
    for (String n : names) {
      AsciiString listed = AsciiString.cached(n);
      out[n.length()] = append(out[n.length()], listed);
      String l = n.toLowerCase(Locale.ROOT);
      if (!l.equals(n)) {
        AsciiString shared = AsciiString.cached(l);
        out[n.length()] = append(out[n.length()], shared);
        lower.put(listed, shared);
      }
    }
    this.byLength = out;
    this.lowerCase = Map.copyOf(lower);
  }

  /**
   * The shared lower-case spelling of {@code name} when {@code name} is a listed spelling exactly
   * (case included), else null.
   */
  public AsciiString lowerCase(AsciiString name) {
    return lowerCase.get(name);
  }

  /** The shared name whose bytes are exactly {@code sb[start, start + length)}, else null. */
  public AsciiString lookup(byte[] sb, int start, int length) {
    if (length >= byLength.length) {
      return null;
    }
    AsciiString[] candidates = byLength[length];
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

  private static AsciiString[] append(AsciiString[] a, AsciiString v) {
    AsciiString[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }
}
