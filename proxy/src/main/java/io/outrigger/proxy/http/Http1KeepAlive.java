package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Whether a downstream HTTP/1.1 connection persists after the response being written (RFC 9112
 * 9.3): not when its request asked to close ({@code Connection: close}, or HTTP/1.0 without {@code
 * keep-alive}), and not when the response itself says {@code Connection: close}. A response to a
 * request that asked to close is made to say so too. Interim (1xx) responses change nothing.
 *
 * <p>What Netty's {@code HttpServerKeepAliveHandler} does from the pipeline, kept by the connection
 * manager instead, which answers one request at a time and so needs no count of pending responses:
 * after a response that closes, requests the client pipelined behind it are not served.
 *
 * <p>Runs on the connection's event loop only.
 */
final class Http1KeepAlive {
  private boolean requestKeepAlive = true;
  private boolean closeAfterResponse;

  /** A request is dispatched: the responses written next answer it. */
  void onRequest(HttpRequest request) {
    requestKeepAlive = HttpUtil.isKeepAlive(request);
    closeAfterResponse = false;
  }

  /** A response's head is about to be written: it says {@code close} if the request asked so. */
  void onResponse(HttpResponse response) {
    if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      return;
    }
    if (!requestKeepAlive) {
      HttpUtil.setKeepAlive(response, false);
      closeAfterResponse = true;
    } else if (!HttpUtil.isKeepAlive(response)) {
      closeAfterResponse = true;
    }
  }

  /** Whether the connection closes once the response being written is done. */
  boolean closeAfterResponse() {
    return closeAfterResponse;
  }
}
