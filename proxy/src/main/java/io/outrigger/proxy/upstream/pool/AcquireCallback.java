package io.outrigger.proxy.upstream.pool;

/**
 * The outcome of {@link ConnectionPool#acquire}; exactly one method is called, on the pool's loop.
 */
public interface AcquireCallback {
  void ready(UpstreamExchange exchange);

  /**
   * No exchange: the connect failed or timed out.
   *
   * @param timedOut whether it was the connect timeout
   */
  void failed(Throwable cause, boolean timedOut);
}
