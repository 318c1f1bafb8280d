package io.outrigger.proxy.upstream.pool;

import io.netty.channel.Channel;
import io.outrigger.proxy.upstream.Host;

/**
 * One request/response exchange with an upstream host: an HTTP/1.1 connection lent for one request,
 * or one HTTP/2 stream. The channel speaks Netty's {@code HttpObject}s either way, so the router
 * does not care which.
 */
public interface UpstreamExchange {
  /** Where to write the request's {@code HttpObject}s; {@code read()} asks for more response. */
  Channel channel();

  Host host();

  /** Whether this exchange runs over HTTP/2. */
  boolean http2();

  /**
   * After a {@code 101 Switching Protocols}: the exchange carries raw bytes from now on, so an
   * HTTP/1.1 connection's codec leaves its pipeline. Called on the exchange's event loop, once.
   */
  void switchToTunnel();

  /** Who receives the response; set once, before the request is written. */
  void bind(ResponseListener listener);

  /**
   * Ends the exchange. {@code reusable} means both directions ended cleanly and the connection may
   * carry another request; otherwise the connection (HTTP/1.1) or stream (HTTP/2) is reset.
   */
  void release(boolean reusable);
}
