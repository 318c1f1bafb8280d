package io.outrigger.proxy.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.outrigger.api.model.http.HeadersWithUnderscoresAction;
import io.outrigger.proxy.codec.CompactHeaders;

/**
 * Refuses downstream requests that must not reach an upstream: malformed ones and the framing
 * ambiguities that make request smuggling possible. Envoy's and RFC 9112's rules.
 */
final class RequestValidator {
  private RequestValidator() {}

  /** Why a request was refused: the status and the detail for the body and the access log. */
  record Refusal(int status, String details) {}

  /**
   * @return the refusal, or {@code null} when the request may go on
   */
  static Refusal check(
      HttpRequest req, int maxHeadersCount, HeadersWithUnderscoresAction underscores) {
    DecoderResult result = req.decoderResult();
    if (result.isFailure()) {
      return decodeFailure(result.cause());
    }
    HttpHeaders h = req.headers();
    if (h.size() > maxHeadersCount) {
      return new Refusal(431, "http1.too_many_headers");
    }
    if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        return new Refusal(400, "http1.content_length_and_chunked_not_allowed");
      }
      if (count(h, HttpHeaderNames.TRANSFER_ENCODING) != 1
          || !h.get(HttpHeaderNames.TRANSFER_ENCODING).trim().equalsIgnoreCase("chunked")) {
        return new Refusal(400, "http1.invalid_transfer_encoding");
      }
    }
    if (h.contains(HttpHeaderNames.CONTENT_LENGTH)
        && count(h, HttpHeaderNames.CONTENT_LENGTH) > 1) {
      return new Refusal(400, "http1.content_length_not_allowed");
    }
    String host = h.get(HttpHeaderNames.HOST);
    if (host == null && req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      // RFC 9112 3.2: an HTTP/1.1 request without Host gets 400; so does an HTTP/2 request
      // without :authority (the codec maps it to Host and calls the request 1.1), as in Envoy.
      return new Refusal(400, "missing_host_header");
    }
    if (host != null && (host.isBlank() || count(h, HttpHeaderNames.HOST) > 1)) {
      return new Refusal(400, "http1.invalid_host");
    }
    if (underscores != HeadersWithUnderscoresAction.ALLOW && hasUnderscoreName(h)) {
      if (underscores == HeadersWithUnderscoresAction.REJECT_REQUEST) {
        return new Refusal(400, "unexpected_underscore");
      }
      dropUnderscoreNames(h);
    }
    return null;
  }

  /** How many times a header appears, up to 2: without the list that getAll makes. */
  private static int count(HttpHeaders h, CharSequence name) {
    if (h instanceof CompactHeaders c) { // the codecs' headers: no iterator either
      return c.count(name, 2);
    }
    int n = 0;
    for (var it = h.valueCharSequenceIterator(name); it.hasNext() && n < 2; it.next()) {
      n++;
    }
    return n;
  }

  private static boolean hasUnderscoreName(HttpHeaders h) {
    for (var it = h.iteratorCharSequence(); it.hasNext(); ) {
      if (indexOf(it.next().getKey(), '_') >= 0) {
        return true;
      }
    }
    return false;
  }

  private static void dropUnderscoreNames(HttpHeaders h) {
    java.util.List<String> names = new java.util.ArrayList<>(1);
    for (String name : h.names()) {
      if (name.indexOf('_') >= 0) {
        names.add(name);
      }
    }
    for (String name : names) {
      h.remove(name);
    }
  }

  private static int indexOf(CharSequence s, char c) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  /** Maps a codec failure to Envoy's answer: 431 for too-large headers, 400 otherwise. */
  static Refusal decodeFailure(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return new Refusal(431, "http1.headers_too_large");
    }
    if (cause instanceof TooLongHttpLineException) {
      return new Refusal(414, "http1.request_line_too_long");
    }
    if (cause instanceof TooLongFrameException) {
      return new Refusal(431, "http1.headers_too_large");
    }
    return new Refusal(400, "http1.codec_error");
  }
}
