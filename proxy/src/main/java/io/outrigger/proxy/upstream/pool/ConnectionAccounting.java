package io.outrigger.proxy.upstream.pool;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.Host;

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
    boolean timedOut =
        cause instanceof ConnectTimeoutException || cause instanceof SslHandshakeTimeoutException;
    cluster.stats().connectFailed(timedOut);
    return timedOut;
  }

  /** An open connection closed: its slot goes back. */
  static void closed(Cluster cluster, Host host) {
    cluster.releaseConnection();
    host.connectionClosed();
    cluster.stats().connectionClosed();
  }
}
