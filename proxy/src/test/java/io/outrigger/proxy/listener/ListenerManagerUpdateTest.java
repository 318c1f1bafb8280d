package io.outrigger.proxy.listener;

import static io.outrigger.proxy.testkit.XdsProtos.inlineListener;
import static io.outrigger.proxy.testkit.XdsProtos.staticCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.validation.ClusterTranslator;
import io.outrigger.api.validation.ListenerTranslator;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.LoadBalancers;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ListenerManager#applyListeners}: moving and removing listeners over real sockets. */
class ListenerManagerUpdateTest {
  private final Transport transport = Transport.NIO;
  private final EventLoopGroup workers = transport.newEventLoopGroup(1, "test-lm");
  private final ProxyStats stats = new ProxyStats();
  private final Map<EventLoop, PoolManager> pools = new IdentityHashMap<>();
  private HttpUpstream upstream;
  private ClusterManager clusters;
  private ListenerManager listeners;

  @BeforeEach
  void setUp() throws Exception {
    upstream = new HttpUpstream("up");
    for (EventExecutor e : workers) {
      pools.put((EventLoop) e, new PoolManager((EventLoop) e, transport));
    }
    clusters =
        new ClusterManager(
            List.of(ClusterTranslator.translate(staticCluster("up", upstream.port()).build(), "")),
            stats,
            workers,
            transport,
            new SplittableRandom(1));
    listeners =
        new ListenerManager(
            transport,
            workers,
            clusters,
            stats,
            pools::get,
            LoadBalancers.perThreadRandom(),
            new io.outrigger.proxy.accesslog.AccessLogFactory(
                new io.outrigger.proxy.accesslog.AccessLogWriters(stats.registry()),
                java.time.Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    listeners.stopAccepting().join();
    listeners.connections().closeAll().awaitUninterruptibly(5, TimeUnit.SECONDS);
    pools.forEach((loop, p) -> loop.submit(p::closeAll).awaitUninterruptibly(2, TimeUnit.SECONDS));
    clusters.close();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    stats.close();
    upstream.close();
  }

  private static ListenerConfig config(Listener proto) throws Exception {
    return ListenerTranslator.translate(proto, "");
  }

  private InetSocketAddress address(String name) {
    return listeners.listeners().stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow()
        .boundAddress();
  }

  @Test
  void aListenerMovedToAnotherPortBindsItThenStopsAcceptingOnTheOld() throws Exception {
    listeners.applyListeners(List.of(config(inlineListener("in", 0, "up"))));
    InetSocketAddress before = address("in");
    int freePort;
    try (ServerSocket probe = new ServerSocket(0)) {
      freePort = probe.getLocalPort();
    }
    try (RawConnection open = new RawConnection(before)) {
      assertThat(open.get()).contains("hello from up");

      listeners.applyListeners(List.of(config(inlineListener("in", freePort, "up"))));

      assertThat(address("in").getPort()).isEqualTo(freePort);
      try (RawConnection moved = new RawConnection(address("in"))) {
        assertThat(moved.get()).contains("hello from up");
      }
      await().atMost(5, TimeUnit.SECONDS).until(() -> refuses(before));
      // The connection accepted before the move drains: it still works.
      assertThat(open.get()).contains("hello from up");
    }
  }

  @Test
  void aRemovedListenerStopsAcceptingWhileItsOpenConnectionFinishes() throws Exception {
    listeners.applyListeners(List.of(config(inlineListener("in", 0, "up"))));
    InetSocketAddress bound = address("in");
    try (RawConnection open = new RawConnection(bound)) {
      assertThat(open.get()).contains("hello from up");

      listeners.applyListeners(List.of());

      assertThat(listeners.listeners()).isEmpty();
      await().atMost(5, TimeUnit.SECONDS).until(() -> refuses(bound));
      assertThat(open.get()).contains("hello from up");
    }
  }

  @Test
  void aListenerOnAnotherListenersAddressIsRefusedAndNothingChanges() throws Exception {
    listeners.applyListeners(List.of(config(inlineListener("in", 0, "up"))));
    int taken = address("in").getPort();

    assertThatThrownBy(
            () ->
                listeners.applyListeners(
                    List.of(
                        config(inlineListener("in", 0, "up")),
                        config(inlineListener("clash", taken, "up")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listener clash: address")
        .hasMessageContaining("is already listener in's");
    assertThat(address("in").getPort()).isEqualTo(taken);
    assertThat(listeners.listeners()).extracting(ActiveListener::name).containsExactly("in");
  }

  @Test
  void ldsLeavesTheBootstrapListenersAloneAndRefusesTheirNames() throws Exception {
    listeners.bind(config(inlineListener("boot", 0, "up")));
    InetSocketAddress boot = address("boot");

    listeners.applyListeners(List.of(config(inlineListener("in", 0, "up"))));
    listeners.applyListeners(List.of());
    assertThatThrownBy(
            () -> listeners.applyListeners(List.of(config(inlineListener("boot", 0, "up")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listener boot: name: a static listener");

    assertThat(listeners.listeners()).extracting(ActiveListener::name).containsExactly("boot");
    try (RawConnection c = new RawConnection(boot)) {
      assertThat(c.get()).contains("hello from up");
    }
  }

  private static boolean refuses(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 500);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A keep-alive HTTP/1.1 connection that reads one small response per request. */
  private static final class RawConnection implements AutoCloseable {
    private final Socket socket = new Socket();

    RawConnection(InetSocketAddress address) throws IOException {
      socket.connect(address, 2000);
      socket.setSoTimeout(5000);
    }

    String get() throws IOException {
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[4096];
      StringBuilder sb = new StringBuilder();
      while (!sb.toString().contains("hello from")) {
        int n = socket.getInputStream().read(buf);
        if (n < 0) {
          throw new IOException("closed after: " + sb);
        }
        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
