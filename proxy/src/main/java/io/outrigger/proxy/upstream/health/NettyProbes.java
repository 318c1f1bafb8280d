package io.outrigger.proxy.upstream.health;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.Scheduler;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Opens a health-check connection on the checker's event loop, so that the probe's callbacks run on
 * the checker's thread. Health-check connections bypass the connection pools and do not count as
 * cluster traffic.
 */
final class NettyProbes {
  private NettyProbes() {}

  /**
   * Connects to {@code host}; {@code handler} (or a connect failure) reports to {@code done} once.
   *
   * @param handler built per connection; null for a plain connect (TCP check)
   * @param onConnected called with the open channel, e.g. to write a request
   */
  static Scheduler.Cancellable connect(
      EventLoop loop,
      Transport transport,
      Duration connectTimeout,
      Host host,
      Supplier<ChannelHandler> handler,
      Consumer<Channel> onConnected,
      Once done) {
    requireNonNull(loop, "loop");
    Bootstrap b =
        transport
            .bootstrap(loop)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis())))
            .handler(
                handler != null
                    ? handler.get()
                    : new io.netty.channel.ChannelInboundHandlerAdapter());
    ChannelFuture f = b.connect(host.address());
    f.addListener(
        future -> {
          if (!future.isSuccess()) {
            done.complete(HealthProbe.Result.NETWORK_FAIL);
          } else if (done.isDone()) {
            f.channel().close();
          } else {
            onConnected.accept(f.channel());
          }
        });
    return () -> {
      done.cancel();
      f.cancel(false);
      f.channel().close();
    };
  }

  /** Delivers one result, at most once, unless cancelled first. */
  static final class Once {
    private final Consumer<HealthProbe.Result> done;
    private boolean finished;

    Once(Consumer<HealthProbe.Result> done) {
      this.done = done;
    }

    void complete(HealthProbe.Result r) {
      if (!finished) {
        finished = true;
        done.accept(r);
      }
    }

    void cancel() {
      finished = true;
    }

    boolean isDone() {
      return finished;
    }
  }
}
