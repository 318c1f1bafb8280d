package io.outrigger.proxy.listener;

import static io.outrigger.proxy.testkit.XdsProtos.address;
import static io.outrigger.proxy.testkit.XdsProtos.hcm;
import static io.outrigger.proxy.testkit.XdsProtos.routes;
import static io.outrigger.proxy.testkit.XdsProtos.staticCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.validation.ClusterTranslator;
import io.outrigger.api.validation.ListenerTranslator;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.TcpUpstream;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.LoadBalancers;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A partition rule that arrives with a new listener configuration cuts the connections already open
 * through the network partition filter, as it says: a {@code tcp_proxy} stream and an HTTP/1.1
 * keep-alive connection, each opened and used before the fault.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionCutsOpenConnectionsTest {
  private final Transport transport = Transport.NIO;
  private final EventLoopGroup workers = transport.newEventLoopGroup(1, "test-cut");
  private final ProxyStats stats = new ProxyStats();
  private final Map<EventLoop, PoolManager> pools = new IdentityHashMap<>();
  private TcpUpstream echo;
  private HttpUpstream http;
  private ClusterManager clusters;
  private ListenerManager listeners;

  @BeforeEach
  void setUp() throws Exception {
    echo = TcpUpstream.start(TcpUpstream.ECHO);
    http = new HttpUpstream("up");
    for (EventExecutor e : workers) {
      pools.put((EventLoop) e, new PoolManager((EventLoop) e, transport));
    }
    clusters =
        new ClusterManager(
            List.of(
                ClusterTranslator.translate(staticCluster("echo", echo.port()).build(), ""),
                ClusterTranslator.translate(staticCluster("http", http.port()).build(), "")),
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
  void tearDown() throws Exception {
    listeners.stopAccepting().join();
    listeners.connections().closeAll().awaitUninterruptibly(5, TimeUnit.SECONDS);
    pools.forEach((loop, p) -> loop.submit(p::closeAll).awaitUninterruptibly(2, TimeUnit.SECONDS));
    clusters.close();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    stats.close();
    echo.close();
    http.close();
  }

  private static Filter partition(String rules) throws Exception {
    TypedStruct.Builder config =
        TypedStruct.newBuilder().setTypeUrl(PartitionNetworkFilterConfig.TYPE_URL);
    JsonFormat.parser()
        .merge("{\"peer\":\"n2\",\"rules\":[" + rules + "]}", config.getValueBuilder());
    return Filter.newBuilder()
        .setName(PartitionNetworkFilterConfig.FILTER_NAME)
        .setTypedConfig(Any.pack(config.build()))
        .build();
  }

  /** {@code to_n2} on {@code port}: the partition filter, then a tcp_proxy to the echo server. */
  private static Listener tcp(int port, String rules) throws Exception {
    Filter proxy =
        Filter.newBuilder()
            .setName("envoy.filters.network.tcp_proxy")
            .setTypedConfig(
                Any.pack(TcpProxy.newBuilder().setStatPrefix("to_n2").setCluster("echo").build()))
            .build();
    return Listener.newBuilder()
        .setName("to_n2")
        .setAddress(address(port))
        .addFilterChains(FilterChain.newBuilder().addFilters(partition(rules)).addFilters(proxy))
        .build();
  }

  /** {@code to_n2} on {@code port}: the partition filter, then HTTP to the HTTP upstream. */
  private static Listener http(int port, String rules) throws Exception {
    Filter manager =
        Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(hcm("to_n2").setRouteConfig(routes("to_n2", "http")).build()))
            .build();
    return Listener.newBuilder()
        .setName("to_n2")
        .setAddress(address(port))
        .addFilterChains(FilterChain.newBuilder().addFilters(partition(rules)).addFilters(manager))
        .build();
  }

  private void apply(Listener listener) throws Exception {
    listeners.applyListeners(List.of(ListenerTranslator.translate(listener, "")));
  }

  private Socket open() throws Exception {
    InetSocketAddress bound = listeners.listeners().iterator().next().boundAddress();
    Socket s = new Socket();
    s.connect(bound, 5000);
    s.setSoTimeout(5000);
    return s;
  }

  private static String echo(Socket s, String text) throws Exception {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
  }

  @Test
  void resetCutsAnOpenTcpProxyStream() throws Exception {
    apply(tcp(0, ""));
    int port = listeners.listeners().iterator().next().boundAddress().getPort();
    try (Socket s = open()) {
      assertThat(echo(s, "before")).isEqualTo("before");

      apply(tcp(port, "{\"peer\":\"n2\",\"action\":\"reset\"}"));

      InputStream in = s.getInputStream();
      assertThatThrownBy(
              () -> {
                in.read(); // the RST may come before or after one more write
                s.getOutputStream().write(1);
                in.read();
              })
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void dropMakesAnOpenTcpProxyStreamABlackHoleAndAHealLeavesNewOnesAlone() throws Exception {
    apply(tcp(0, ""));
    int port = listeners.listeners().iterator().next().boundAddress().getPort();
    try (Socket s = open()) {
      assertThat(echo(s, "before")).isEqualTo("before");
      long upstreamBytes = echo.bytesRead();

      apply(tcp(port, "{\"peer\":\"n2\",\"action\":\"drop\"}"));
      s.setSoTimeout(500);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  stats.registry().find("partition_connections").counters().stream()
                      .anyMatch(c -> c.getId().getTag("action").equals("drop") && c.count() == 1));
      s.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));

      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(echo.bytesRead()).isEqualTo(upstreamBytes);

      apply(tcp(port, ""));
      try (Socket fresh = open()) {
        assertThat(echo(fresh, "healed")).isEqualTo("healed");
      }
    }
  }

  @Test
  void refuseClosesAnOpenHttpKeepAliveConnection() throws Exception {
    apply(http(0, ""));
    int port = listeners.listeners().iterator().next().boundAddress().getPort();
    try (Socket s = open()) {
      String request = "GET / HTTP/1.1\r\nHost: n2\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      byte[] first = new byte[12];
      assertThat(s.getInputStream().readNBytes(first, 0, 12)).isEqualTo(12);
      assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");

      apply(http(port, "{\"peer\":\"n2\",\"action\":\"refuse\"}"));

      // The rest of the first response, then the close: nothing more ever arrives.
      await().atMost(Duration.ofSeconds(5)).until(() -> drainedToEof(s.getInputStream()));
    }
  }

  private static boolean drainedToEof(InputStream in) throws Exception {
    byte[] buf = new byte[4096];
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        return true;
      }
    }
  }
}
