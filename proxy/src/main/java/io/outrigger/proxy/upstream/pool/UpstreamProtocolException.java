package io.outrigger.proxy.upstream.pool;

/**
 * The upstream broke HTTP: a status line or header that does not parse, a status outside 100–599, a
 * framing the proxy will not guess at. The exchange and its connection are closed; before the
 * response started the router answers 502, as Envoy does for an upstream protocol error.
 */
public final class UpstreamProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public UpstreamProtocolException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
