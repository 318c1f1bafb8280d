package io.outrigger.proxy.upstream.pool;

/**
 * A pool refused to queue another request: the cluster has no connection free and as many requests
 * already wait as it allows. The router answers 503 with {@code x-envoy-overloaded: true} at once
 * rather than let the queue, and memory, grow.
 */
public final class PoolOverflowException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Envoy's default {@code circuit_breakers} {@code max_pending_requests}. */
  public static final int DEFAULT_MAX_PENDING = 1024;

  public PoolOverflowException(String message) {
    super(message, null, false, false);
  }
}
