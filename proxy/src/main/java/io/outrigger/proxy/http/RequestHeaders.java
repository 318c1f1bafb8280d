package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.outrigger.proxy.http.router.HopByHop;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * What the connection manager reads from and does to request headers before routing, as Envoy does
 * it: whether a body and an upgrade come, hop-by-hop removal, {@code x-forwarded-for}, {@code
 * x-forwarded-proto} and {@code x-request-id}.
 */
final class RequestHeaders {
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private RequestHeaders() {}

  /**
   * Whether the request carries a body, as its headers say: a whole request with content, chunked,
   * a positive {@code content-length}, or on HTTP/2 no {@code content-length} (its length may be
   * unknown).
   */
  static boolean hasBody(HttpRequest req, boolean http2) {
    if (req instanceof LastHttpContent whole) {
      return whole.content().isReadable();
    }
    if (HttpUtil.isTransferEncodingChunked(req)) {
      return true;
    }
    long length = HttpUtil.getContentLength(req, -1L);
    return length > 0 || (length < 0 && http2);
  }

  /** Whether the request asks to switch protocols (an HTTP/1.1 upgrade such as WebSocket). */
  static String upgradeType(HttpRequest req) {
    HttpHeaders h = req.headers();
    String upgrade = h.get(HttpHeaderNames.UPGRADE);
    if (upgrade == null) {
      return null;
    }
    for (String c : h.getAll(HttpHeaderNames.CONNECTION)) {
      if (HopByHop.containsToken(c, HttpHeaderValues.UPGRADE.toString())) {
        return upgrade.trim().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return null;
  }

  static void prepare(
      HttpRequest req,
      HttpSettings settings,
      String scheme,
      String remoteIp,
      boolean keepUpgrade,
      RandomGenerator random) {
    HttpHeaders h = req.headers();
    HopByHop.strip(h, keepUpgrade);
    if (settings.useRemoteAddress()) {
      String xff = h.get(X_FORWARDED_FOR);
      h.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? remoteIp : xff + ", " + remoteIp);
      h.set(X_FORWARDED_PROTO, scheme);
    } else if (!h.contains(X_FORWARDED_PROTO)) {
      h.set(X_FORWARDED_PROTO, scheme);
    }
    if (settings.generateRequestId() && !h.contains(X_REQUEST_ID)) {
      h.set(X_REQUEST_ID, requestId(random));
    }
  }

  /**
   * A random (version 4) UUID in its text form, as {@link java.util.UUID#toString()} writes it,
   * written straight into the bytes of an {@link AsciiString}: no {@code UUID} and no {@code
   * String} per request, and the encoder copies the bytes as they are.
   */
  static AsciiString requestId(RandomGenerator random) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    byte[] text = new byte[36];
    hex(text, 0, msb >>> 32, 8);
    text[8] = '-';
    hex(text, 9, msb >>> 16, 4);
    text[13] = '-';
    hex(text, 14, msb, 4);
    text[18] = '-';
    hex(text, 19, lsb >>> 48, 4);
    text[23] = '-';
    hex(text, 24, lsb, 12);
    return new AsciiString(text, false);
  }

  /**
   * Writes the low {@code digits} hex digits of {@code value} at {@code at}, most significant
   * first.
   */
  private static void hex(byte[] text, int at, long value, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      text[i] = HEX_DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
