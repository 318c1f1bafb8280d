package io.outrigger.proxy.listener;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.outrigger.proxy.overload.OverloadManager;

/**
 * The child handler of a listener's server sockets: builds each new connection from the listener's
 * current filter chain. A listener update on the same address swaps the chain here ({@link #swap})
 * instead of rebinding, so no connection is refused: new connections get the new chain, open ones
 * keep the pipeline (and the connection manager) they were built with.
 *
 * <p>Threading: {@link #swap} runs on the configuration thread; {@link #initChannel} on the event
 * loop that accepted, reading one volatile reference.
 */
@ChannelHandler.Sharable
final class SwitchingInitializer extends ChannelInitializer<Channel> {
  /** A chain and the listener's per-connection buffer limit that goes with it. */
  record Version(ListenerChains chain, int bufferLimit) {
    Version {
      requireNonNull(chain, "chain");
    }
  }

  private volatile Version current;
  private final OverloadManager overload;

  SwitchingInitializer(Version first, OverloadManager overload) {
    this.current = requireNonNull(first, "first");
    this.overload = requireNonNull(overload, "overload");
  }

  /** Makes {@code next} the chain of new connections and returns the one it replaces. */
  Version swap(Version next) {
    Version old = current;
    current = requireNonNull(next, "next");
    return old;
  }

  Version current() {
    return current;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (!overload.admitConnection()) {
      // reject_incoming_connections, or global_downstream_max_connections reached: closed before
      // any byte is read or any filter runs.
      ch.close();
      return;
    }
    if (overload
        != OverloadManager.NONE) { // nothing to count without one: no listener per connection
      ch.closeFuture().addListener(f -> overload.connectionClosed());
    }
    Version v = current;
    ch.config()
        .setWriteBufferWaterMark(
            new WriteBufferWaterMark(Math.max(1, v.bufferLimit() / 2), v.bufferLimit()));
    v.chain().initChannel(ch);
  }
}
