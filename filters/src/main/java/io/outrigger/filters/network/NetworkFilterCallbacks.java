package io.outrigger.filters.network;

import io.netty.util.concurrent.EventExecutor;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;

/**
 * What a network filter may do to its connection. Valid until the connection closes; every method
 * must be called on {@link #executor()}; after the connection closed they do nothing.
 *
 * <p>{@link #close()}, {@link #reset()} and {@link #hold()} also act on a connection that already
 * proceeded to its terminal filter (a filter that watches for later configuration, as the partition
 * filter does): the terminal filter then sees the connection close, or stop carrying bytes.
 */
public interface NetworkFilterCallbacks {
  /**
   * Resumes a connection the filter stopped: the next filter's {@code onNewConnection} runs, and
   * after the last one the terminal filter takes the connection and starts reading it.
   */
  void continueConnection();

  /** Closes the connection at once with a FIN, having read nothing. */
  void close();

  /**
   * Closes the connection with a TCP RST ({@code SO_LINGER} 0), as a host that refuses it would.
   */
  void reset();

  /**
   * The connection never proceeds and is never answered: what the downstream sends is read and
   * discarded (so that its close is noticed and the connection freed), nothing is written. The
   * downstream sees a connection that hangs until its own timeout. On a connection that already
   * proceeded, it becomes a black hole in both directions: what either side sends is discarded, as
   * a network that drops every packet would, until one side gives up.
   */
  void hold();

  /** The connection's event loop; filters schedule timers here. */
  EventExecutor executor();

  /** The downstream's address. */
  InetSocketAddress remoteAddress();

  /** The local address the downstream connected to, or {@code null}. Default {@code null}. */
  default InetSocketAddress localAddress() {
    return null;
  }

  /**
   * The downstream's verified client certificate, or {@code null} (plaintext, none presented, or
   * the handshake not done: a filter that needs it asks for it with {@link
   * NetworkFilterFactory#needsTlsHandshake()}). Default {@code null}.
   */
  default PeerCertificate peerCertificate() {
    return null;
  }

  /** The TLS SNI the downstream sent; empty for none or plaintext. Default empty. */
  default String requestedServerName() {
    return "";
  }
}
