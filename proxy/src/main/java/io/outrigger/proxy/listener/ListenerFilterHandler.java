package io.outrigger.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.listener.filter.ListenerFilter;
import io.outrigger.proxy.listener.filter.ListenerFilter.Status;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a listener's {@link ListenerFilter}s on a new connection, then has its {@link
 * ListenerChains} choose and install the filter chain (or hand the connection to another listener),
 * and leaves the pipeline, handing the chain every byte it read.
 *
 * <p>Lifecycle, on the connection's event loop: {@code channelActive} is held back from the chain
 * until it is installed, so that its handlers see the connection start as usual. The filters run in
 * order ({@link ListenerFilter#onAccept}, then {@link ListenerFilter#onData} while one needs
 * bytes); reads are asked for on demand, auto-read being off. {@code listener_filters_timeout}
 * (when not zero) bounds the wait for bytes: then the connection is closed, or with {@code
 * continue_on_listener_filters_timeout} the waiting filter gives up and the chain is chosen with
 * what is known. A peer that ends its side before the filters are done is treated like that timeout
 * with continue, and its end is passed on to the chain.
 */
final class ListenerFilterHandler extends ByteToMessageDecoder {
  private final ListenerChains listener;
  private final List<ListenerFilter> filters;
  private final boolean handOff;
  private ConnectionFacts facts;
  private ScheduledFuture<?> timeout;
  private int current;
  private boolean waiting;
  private boolean done;

  /**
   * @param handOff whether a connection whose original destination was restored may go to the
   *     listener of that address ({@code use_original_dst}); false for one that was handed over
   */
  ListenerFilterHandler(ListenerChains listener, boolean handOff) {
    this.listener = listener;
    this.filters = listener.listenerFilters();
    this.handOff = handOff;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    facts = ConnectionFacts.of(ctx.channel());
    long millis = listener.listenerFiltersTimeoutMillis();
    if (millis > 0) {
      timeout = ctx.executor().schedule(() -> timedOut(ctx), millis, TimeUnit.MILLISECONDS);
    }
    advance(ctx, null);
    if (!done && waiting) {
      ctx.read(); // held back until the chain is installed; ask for the first bytes
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!done && facts != null && in.isReadable()) {
      advance(ctx, in);
    }
  }

  /** Runs the filters from the current one; {@code in} is null before any byte was read. */
  private void advance(ChannelHandlerContext ctx, ByteBuf in) {
    while (current < filters.size()) {
      ListenerFilter filter = filters.get(current);
      Status s;
      if (!waiting) {
        s = filter.onAccept(ctx.channel(), facts);
        if (s == Status.NEED_DATA && in != null && in.isReadable()) {
          s = filter.onData(in, facts);
        }
      } else if (in == null) {
        return;
      } else {
        s = filter.onData(in, facts);
      }
      if (s == Status.CLOSE) {
        finishWithoutChain(ctx);
        return;
      }
      waiting = s == Status.NEED_DATA;
      if (waiting) {
        return;
      }
      current++;
    }
    finish(ctx);
  }

  private void timedOut(ChannelHandlerContext ctx) {
    if (done || ctx.isRemoved()) {
      return;
    }
    listener.stats().preConnectionTimeout();
    if (!listener.continueOnListenerFiltersTimeout()) {
      finishWithoutChain(ctx);
      return;
    }
    giveUp(ctx);
  }

  /** The waiting filter gives up, the ones after it are skipped; the chain is chosen. */
  private void giveUp(ChannelHandlerContext ctx) {
    if (waiting && current < filters.size()) {
      filters.get(current).onGiveUp(facts);
    }
    current = filters.size();
    finish(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent && !done && facts != null) {
      giveUp(ctx);
      if (ctx.isRemoved()) {
        ctx.channel().pipeline().fireUserEventTriggered(evt);
        return;
      }
    }
    super.userEventTriggered(ctx, evt);
  }

  private void finishWithoutChain(ChannelHandlerContext ctx) {
    done = true;
    cancelTimeout();
    ctx.close();
  }

  private void finish(ChannelHandlerContext ctx) {
    done = true;
    cancelTimeout();
    if (listener.complete(ctx, facts, handOff)) {
      ctx.pipeline().remove(this); // hands the bytes read so far to the chain
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelTimeout();
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
