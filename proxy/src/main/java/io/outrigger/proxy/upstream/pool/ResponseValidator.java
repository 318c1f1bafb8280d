package io.outrigger.proxy.upstream.pool;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an HTTP/1.1 upstream response must be before the proxy relays it: parsed by the codec, a
 * status within 100–599, and a body framing the proxy need not guess at (no transfer coding other
 * than {@code chunked}, which the codec would read as "until close" and Netty's decoder would not
 * even do reliably beside a {@code Content-Length}).
 */
final class ResponseValidator {
  private ResponseValidator() {}

  /**
   * @return why {@code msg} breaks HTTP, or {@code null} when it may be relayed
   */
  static String check(HttpObject msg) {
    if (msg.decoderResult().isFailure()) {
      return "malformed response: " + msg.decoderResult().cause();
    }
    if (!(msg instanceof HttpResponse response)) {
      return null;
    }
    int code = response.status().code();
    if (code < 100 || code > 599) {
      return "status " + code + " outside 100-599";
    }
    HttpHeaders h = response.headers();
    if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      if (h.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() != 1
          || !h.get(HttpHeaderNames.TRANSFER_ENCODING).trim().equalsIgnoreCase("chunked")) {
        return "transfer-encoding other than chunked: "
            + h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
      }
      if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        return "both transfer-encoding and content-length";
      }
    }
    return null;
  }
}
