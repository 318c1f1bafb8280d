package io.outrigger.proxy.upstream.pool;

/**
 * A limit refused a request: the cluster has no connection free and as many requests already wait
 * as {@code max_pending_requests} allows, or as many are in flight as {@code max_requests} allows.
 * The message names the limit. The router answers 503 with {@code x-envoy-overloaded: true} at once
 * rather than let the queue, and memory, grow.
 */
public final class PoolOverflowException extends Exception {
  private static final long serialVersionUID = 1L;

  public PoolOverflowException(String message) {
    super(message, null, false, false);
  }
}
