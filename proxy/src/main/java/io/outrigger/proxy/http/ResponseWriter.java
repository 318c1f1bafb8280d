package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Writes what the router relays to the downstream of an {@link HttpStream}: the response headers
 * (through the response filters, framed for HTTP/1.1), the body pieces and trailers, and raw bytes
 * after a protocol switch. Nothing is flushed but a response's last piece; the router flushes when
 * an upstream read ends.
 *
 * <p>Stateless: the stream holds the state, so nothing is made per request. Runs on the stream's
 * event loop.
 */
final class ResponseWriter {
  private ResponseWriter() {}

  /** Writes the response headers downstream (not flushed, unless they are the whole response). */
  static void writeHeaders(HttpStream s, HttpResponse response, String upstreamHostAddress) {
    s.record.upstreamHost = upstreamHostAddress;
    s.responseStarted = true;
    s.record.responseCode = response.status().code();
    s.record.details = "via_upstream";
    for (int i = s.filters.size() - 1; i >= 0; i--) {
      s.filters.get(i).onResponseHeaders(response, false, s);
    }
    response.headers().set(HttpHeaderNames.SERVER, s.hcm.settings().serverName());
    if (!s.http2) {
      frameForHttp1(s, response);
    }
    s.record.responseHeaders = response.headers();
    s.record.sent(response);
    if (response instanceof LastHttpContent) {
      s.io.writeAndFlush(response).addListener(f -> s.complete(!f.isSuccess()));
    } else {
      s.io.write(response);
    }
  }

  private static void frameForHttp1(HttpStream s, HttpResponse response) {
    int code = response.status().code();
    boolean bodiless = code < 200 || code == 204 || code == 304 || s.isHead();
    if (!bodiless && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      if (s.request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
        HttpUtil.setKeepAlive(response, false);
      } else {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
    }
    if (lastOnConnection(s)) {
      HttpUtil.setKeepAlive(response, false);
    }
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  /**
   * Whether this HTTP/1.1 response is its connection's last: the connection drains ({@code
   * max_requests_per_connection}, {@code max_connection_duration}) or the overload manager's {@code
   * disable_http_keepalive} picked it.
   */
  static boolean lastOnConnection(HttpStream s) {
    if (s.io.draining()) {
      return true;
    }
    if (s.hcm.overload().disableKeepAlive(s.hcm.random())) {
      s.hcm.stats().overloadDisabledKeepAlive();
      return true;
    }
    return false;
  }

  /** Writes a response body piece or the trailers downstream (not flushed, but the last). */
  static void writeContent(HttpStream s, HttpContent content) {
    s.timeouts.activity();
    s.record.sent(content);
    if (content instanceof LastHttpContent) {
      s.io.writeAndFlush(content).addListener(f -> s.complete(!f.isSuccess()));
    } else {
      s.io.write(content);
    }
  }

  /** Raw bytes after a protocol switch (WebSocket): written to the downstream as they are. */
  static void writeTunnelBytes(HttpStream s, ByteBuf data) {
    s.io.writeTunnelBytes(data);
  }
}
