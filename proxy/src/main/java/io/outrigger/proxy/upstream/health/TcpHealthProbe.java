package io.outrigger.proxy.upstream.health;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.Scheduler;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code tcp_health_check} without payloads: the check passes when a connection opens, which is
 * then closed at once; a refused or unreachable connect is a network failure.
 */
public final class TcpHealthProbe implements HealthProbe {
  private final EventLoop loop;
  private final Transport transport;
  private final Duration timeout;

  /**
   * @param loop the health checker's event loop
   * @param timeout the check's timeout, also the connect timeout
   */
  public TcpHealthProbe(EventLoop loop, Transport transport, Duration timeout) {
    this.loop = requireNonNull(loop, "loop");
    this.transport = requireNonNull(transport, "transport");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public Scheduler.Cancellable probe(Host host, Consumer<Result> done) {
    NettyProbes.Once once = new NettyProbes.Once(done);
    return NettyProbes.connect(
        loop,
        transport,
        timeout,
        host,
        null,
        ch -> {
          once.complete(Result.PASS);
          ch.close();
        },
        once);
  }
}
