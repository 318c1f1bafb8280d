package io.outrigger.proxy.stats;

/**
 * What a scope counts of the downstream connections it sees: a listener's (all of them) or an HTTP
 * connection manager's (those of its filter chains). Called on the connection's event loop.
 */
public interface DownstreamConnectionStats {
  /** A connection became active. */
  void connectionOpened();

  /** A connection that was active closed. */
  void connectionClosed();

  /** {@code n} bytes were read from downstream. */
  void bytesReceived(int n);

  /** {@code n} bytes were written to downstream. */
  void bytesSent(int n);
}
