package io.outrigger.proxy.xds;

import com.google.protobuf.Message;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.outrigger.proxy.http.RouteConfigProvider;
import io.outrigger.proxy.listener.ActiveListener;
import io.outrigger.proxy.listener.ListenerManager;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tls.CertificateWatcher;
import io.outrigger.proxy.tls.SecretManager;
import io.outrigger.proxy.tls.TlsManager;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.LoadBalancers;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The dynamic data plane without the discovery client: event loops, pools, a cluster manager that
 * drains retired clusters' pools, a listener manager with an RDS provider, and {@link
 * DynamicConfig} driven directly with protos. Wired as the sidecar is meant to wire it.
 */
final class DynamicFixture implements AutoCloseable {
  final Transport transport = Transport.NIO;
  final EventLoopGroup workers = transport.newEventLoopGroup(2, "test-dynamic");
  final ProxyStats stats = new ProxyStats();
  final Map<EventLoop, PoolManager> pools = new IdentityHashMap<>();
  final ClusterManager clusters;
  final RouteConfigProvider routes = new RouteConfigProvider();
  final ListenerManager listeners;
  final Map<XdsResourceType, Set<String>> wanted = new ConcurrentHashMap<>();
  final DynamicConfig config;
  final TlsManager tls;

  DynamicFixture(Duration warmingTimeout) {
    this(warmingTimeout, Set.of());
  }

  /** With {@code localSecrets} made by the sidecar itself (a CSR), not asked for over SDS. */
  DynamicFixture(Duration warmingTimeout, Set<String> localSecrets) {
    tls =
        new TlsManager(
            stats.registry(),
            Clock.systemUTC(),
            CertificateWatcher.DEFAULT_INTERVAL,
            new SecretManager(Map.of(), localSecrets));
    for (EventExecutor e : workers) {
      pools.put((EventLoop) e, new PoolManager((EventLoop) e, transport));
    }
    clusters =
        new ClusterManager(
            List.of(),
            stats,
            workers,
            transport,
            new SplittableRandom(1),
            retired -> pools.forEach((loop, p) -> loop.execute(() -> p.drain(retired))),
            warmingTimeout,
            tls);
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
                java.time.Clock.systemUTC()),
            routes,
            warmingTimeout,
            tls);
    config =
        new DynamicConfig(
            clusters,
            listeners,
            routes,
            tls.secrets(),
            (type, names) -> wanted.put(type, Set.copyOf(names)),
            Clock.systemUTC(),
            warmingTimeout);
  }

  DynamicFixture() {
    this(Duration.ofSeconds(10));
  }

  /** Hands {@code resources} to the handler as one response of {@code type}. */
  Optional<String> push(XdsResourceType type, String version, Message... resources) {
    Map<String, Message> byName = new LinkedHashMap<>();
    for (Message m : resources) {
      byName.put(name(m), m);
    }
    return config.onResources(type, version, byName);
  }

  private static String name(Message m) {
    var field = m.getDescriptorForType().findFieldByName("name");
    if (field == null) {
      field = m.getDescriptorForType().findFieldByName("cluster_name");
    }
    return (String) m.getField(field);
  }

  int port(String listener) {
    return listenerAddress(listener).getPort();
  }

  InetSocketAddress listenerAddress(String listener) {
    return listeners.listeners().stream()
        .filter(l -> l.name().equals(listener))
        .map(ActiveListener::boundAddress)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no listener " + listener));
  }

  /** The cluster's {@code upstream_cx_active} gauge. */
  double activeUpstreamConnections(String cluster) {
    var gauge = stats.registry().find("upstream_cx_active").tag("cluster", cluster).gauge();
    return gauge == null ? 0 : gauge.value();
  }

  @Override
  public void close() {
    listeners.stopAccepting().orTimeout(5, TimeUnit.SECONDS).join();
    listeners.connections().closeAll().awaitUninterruptibly(5, TimeUnit.SECONDS);
    pools.forEach((loop, p) -> loop.submit(p::closeAll).awaitUninterruptibly(2, TimeUnit.SECONDS));
    clusters.close();
    tls.close();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    stats.close();
  }
}
