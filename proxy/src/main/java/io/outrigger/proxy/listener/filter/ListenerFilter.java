package io.outrigger.proxy.listener.filter;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.outrigger.proxy.connection.ConnectionFacts;

/**
 * A listener filter (Envoy's {@code Network::ListenerFilter}): runs on an accepted connection
 * before a filter chain is chosen, and writes what it learns into the connection's {@link
 * ConnectionFacts}. One instance serves every connection of a listener version, so it keeps no
 * per-connection state outside the facts and its arguments.
 *
 * <p>The listener's filters run in configured order. Each gets {@link #onAccept} once; one that
 * answers {@link Status#NEED_DATA} then gets {@link #onData} with every byte read so far, each time
 * more arrive, until it answers otherwise. The next filter starts only when the previous one is
 * done. Nothing is consumed: the chain that is chosen reads the same bytes.
 *
 * <p>Threading: every method runs on the connection's event loop and must not block.
 */
public interface ListenerFilter {
  /** What a filter answers. */
  enum Status {
    /** Done with this connection: run the next filter. */
    CONTINUE,
    /** Needs (more of) the first bytes: call {@link #onData} when they arrive. */
    NEED_DATA,
    /** The connection must be closed; the filter has counted why. */
    CLOSE
  }

  /**
   * The connection was accepted.
   *
   * @param ch the downstream channel, active, nothing read yet
   * @return what to do next; the default asks for nothing and continues
   */
  Status onAccept(Channel ch, ConnectionFacts facts);

  /**
   * More bytes arrived; called only after this filter answered {@link Status#NEED_DATA}.
   *
   * @param bytes every byte read so far, from its reader index; the filter must not move the index
   *     nor release the buffer
   * @return what to do next; {@link Status#NEED_DATA} to wait for more
   */
  default Status onData(ByteBuf bytes, ConnectionFacts facts) {
    return Status.CONTINUE;
  }

  /**
   * The filter waited for bytes that will not come: {@code listener_filters_timeout} expired with
   * {@code continue_on_listener_filters_timeout}, or the peer ended its side. The chain is then
   * chosen with what is known; the filter may count its finding (nothing found).
   */
  default void onGiveUp(ConnectionFacts facts) {}
}
