package io.outrigger.proxy.upstream.pool;

import io.netty.channel.ConnectTimeoutException;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.ResourceLimits;

/**
 * The bookkeeping every pool does around an upstream connection's life: the cluster-wide connection
 * slot, the host's counters and the cluster's statistics, kept in step in one place.
 */
final class ConnectionAccounting {
  private ConnectionAccounting() {}

  /** A connection (reserved with {@link Cluster#tryReserveConnection()}) is now open. */
  static void opened(Cluster cluster, Host host, boolean http2) {
    host.connectionOpened();
    cluster.stats().connectionOpened();
    cluster.stats().httpConnectionOpened(http2);
  }

  /**
   * A reserved connection failed to open: its slot goes back.
   *
   * @return whether it was the connect timeout
   */
  static boolean failed(Cluster cluster, Host host, Throwable cause) {
    cluster.releaseConnection();
    host.connectFailed();
    boolean timedOut = cause instanceof ConnectTimeoutException;
    cluster.stats().connectFailed(timedOut);
    return timedOut;
  }

  /** An open connection closed: its slot goes back. */
  static void closed(Cluster cluster, Host host) {
    cluster.releaseConnection();
    host.connectionClosed();
    cluster.stats().connectionClosed();
  }

  /**
   * Takes a pending-request slot for a request about to wait for a connection; null when it may
   * wait, else the overflow to answer with (counted as {@code upstream_rq_pending_overflow}).
   */
  static PoolOverflowException tryWait(Cluster cluster) {
    if (cluster.limits().tryAcquirePending()) {
      cluster.stats().pendingStarted();
      return null;
    }
    cluster.stats().pendingOverflow();
    return new PoolOverflowException(
        cluster.limits().overflowReason(ResourceLimits.Resource.PENDING_REQUESTS));
  }

  /** A waiting request left the queue (served, failed or cancelled): its slot goes back. */
  static void doneWaiting(Cluster cluster) {
    cluster.limits().releasePending();
    cluster.stats().pendingFinished();
  }
}
