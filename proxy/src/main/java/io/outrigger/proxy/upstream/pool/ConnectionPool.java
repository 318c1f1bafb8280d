package io.outrigger.proxy.upstream.pool;

/**
 * Upstream connections to one host, owned by one event loop: every method is called on that loop
 * and none takes a lock. Connections are reused across requests (keep-alive on HTTP/1.1,
 * multiplexing on HTTP/2).
 */
public interface ConnectionPool {
  /** Lends an exchange as soon as one is free, opening a connection when allowed. */
  void acquire(AcquireCallback callback);

  /**
   * Withdraws an acquisition that still waits for a connection (its stream ended); nothing happens
   * when it was already served or failed.
   */
  void cancel(AcquireCallback callback);

  /** Connections open or opening. */
  int openConnections();

  /** Closes every connection; pending acquisitions fail. */
  void close();

  /**
   * Retires the pool without breaking anything: idle connections close now, busy ones when their
   * last exchange ends; acquisitions are still served (a request that already chose the retired
   * cluster finishes on it), but no connection is kept idle afterwards.
   */
  void drain();
}
