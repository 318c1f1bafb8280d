package io.outrigger.proxy.upstream.pool;

/**
 * The HTTP/2 upstream reset the stream with {@code REFUSED_STREAM}: it did not process the request,
 * so trying again is safe (retry condition {@code refused-stream}).
 */
public final class RefusedStreamException extends Exception {
  private static final long serialVersionUID = 1L;

  public RefusedStreamException() {
    super("upstream refused the stream (REFUSED_STREAM)", null, false, false);
  }
}
