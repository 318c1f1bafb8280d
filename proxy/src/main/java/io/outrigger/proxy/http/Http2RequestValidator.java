package io.outrigger.proxy.http;

import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * Refuses malformed HTTP/2 requests on one stream before anything is converted to HTTP/1.1 and sent
 * upstream (RFC 9113 8.1.1 and 8.3.1): a request must carry {@code :method}, {@code :scheme} and a
 * non-empty {@code :path} (CONNECT aside); trailers carry no pseudo-header and end the stream; the
 * DATA must add up to {@code content-length}; no field value may hold a control character (NUL, CR
 * and LF among them) or start or end with whitespace (8.2.1, and RFC 9110 5.5 for the other
 * controls), so that nothing can smuggle a header line into an HTTP/1.1 upstream. A malformed
 * request is a stream error of type PROTOCOL_ERROR: the stream is reset and nothing reaches an
 * upstream.
 *
 * <p>Header names are checked by the HPACK decoder. Values are checked here, once, on the bytes
 * HPACK produced; the conversion to HTTP/1.1 objects that follows therefore skips Netty's own
 * per-character validation of the same values.
 *
 * <p>Holds the state of one stream's request; {@link Http2DownstreamStream} extends it, so that a
 * stream makes no second object for it. Used on the connection's event loop only.
 */
class Http2RequestValidator {
  private boolean headersSeen;
  private long declaredLength = -1;
  private long received;

  /**
   * Checks the next frame of the stream's request, in the order the client sent them, and remembers
   * what later frames are checked against (the declared length, the bytes so far).
   *
   * @return {@code null} when the frame may go on; else the error to reset the stream with, and the
   *     frame must go no further
   */
  final Http2Error check(Http2StreamFrame frame) {
    if (frame instanceof Http2HeadersFrame headers) {
      if (!validValues(headers.headers())) {
        return Http2Error.PROTOCOL_ERROR;
      }
      if (!headersSeen) {
        headersSeen = true;
        if (!validRequest(headers.headers())) {
          return Http2Error.PROTOCOL_ERROR;
        }
      } else if (!headers.isEndStream() || hasPseudoHeader(headers.headers())) {
        return Http2Error.PROTOCOL_ERROR; // trailers must end the stream and carry no pseudo-header
      }
      if (headers.isEndStream() && declaredLength > 0 && received != declaredLength) {
        return Http2Error.PROTOCOL_ERROR;
      }
    } else if (frame instanceof Http2DataFrame data) {
      received += data.content().readableBytes();
      if (declaredLength >= 0
          && (received > declaredLength || (data.isEndStream() && received != declaredLength))) {
        return Http2Error.PROTOCOL_ERROR;
      }
    }
    return null;
  }

  private boolean validRequest(Http2Headers h) {
    CharSequence method = h.method();
    if (method == null) {
      return false;
    }
    if (!"CONNECT".contentEquals(method)) {
      CharSequence path = h.path();
      if (h.scheme() == null || path == null || path.length() == 0) {
        return false;
      }
    }
    CharSequence length = h.get("content-length");
    if (length != null) {
      try {
        declaredLength = Long.parseLong(length.toString().trim());
      } catch (NumberFormatException e) {
        return false;
      }
      if (declaredLength < 0) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9113 8.2.1 and RFC 9110 5.5: no control character but HTAB, no outer whitespace. */
  static boolean validValues(Http2Headers h) {
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      if (!validValue(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  static boolean validValue(CharSequence v) {
    int n = v.length();
    if (n == 0) {
      return true;
    }
    if (isWhitespace(v.charAt(0)) || isWhitespace(v.charAt(n - 1))) {
      return false;
    }
    if (v instanceof AsciiString a) {
      byte[] bytes = a.array();
      for (int i = a.arrayOffset(), end = i + n; i < end; i++) {
        byte b = bytes[i];
        if ((b < 0x20 && b >= 0 && b != '\t') || b == 0x7f) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean hasPseudoHeader(Http2Headers h) {
    for (var e : h) {
      if (e.getKey().length() > 0 && e.getKey().charAt(0) == ':') {
        return true;
      }
    }
    return false;
  }
}
