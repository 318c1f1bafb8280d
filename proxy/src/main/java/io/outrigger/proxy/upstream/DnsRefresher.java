package io.outrigger.proxy.upstream;

import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.Future;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.proxy.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a STRICT_DNS or LOGICAL_DNS cluster's names on its event loop, now and every {@code
 * dns_refresh_rate}, and replaces the cluster's hosts with the answers.
 *
 * <p>Resolution is Netty's non-blocking resolver (it reads {@code /etc/hosts} and {@code
 * /etc/resolv.conf}); no event loop ever waits on it. A failed lookup keeps the previous hosts and
 * is retried at the next refresh. Everything here runs on {@code loop}.
 */
final class DnsRefresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsRefresher.class);

  private final Cluster cluster;
  private final EventLoop loop;
  private final DnsNameResolver resolver;
  private volatile ScheduledFuture<?> next;
  private volatile boolean closed;

  DnsRefresher(Cluster cluster, EventLoop loop, Transport transport) {
    this.cluster = cluster;
    this.loop = loop;
    this.resolver =
        new DnsNameResolverBuilder(loop)
            .datagramChannelType(transport.datagramChannelType())
            .resolvedAddressTypes(DnsResolution.queryTypes(cluster.config().dnsLookupFamily()))
            .build();
  }

  void start() {
    loop.execute(this::refresh);
  }

  private void refresh() {
    if (closed) {
      return;
    }
    ClusterConfig config = cluster.config();
    List<EndpointConfig> endpoints = config.endpoints();
    List<List<Cluster.ResolvedEndpoint>> answers = new ArrayList<>();
    AtomicInteger pending = new AtomicInteger(endpoints.size());
    boolean[] failed = {false};
    for (int i = 0; i < endpoints.size(); i++) {
      answers.add(List.of());
    }
    for (int i = 0; i < endpoints.size(); i++) {
      int index = i;
      EndpointConfig endpoint = endpoints.get(i);
      String name = endpoint.address().address();
      resolver
          .resolveAll(name)
          .addListener(
              (Future<List<InetAddress>> f) -> {
                if (f.isSuccess()) {
                  answers.set(index, toEndpoints(endpoint, f.getNow()));
                } else {
                  failed[0] = true;
                  log.warn(
                      "cluster {}: DNS lookup of {} failed: {}",
                      config.name(),
                      name,
                      f.cause().toString());
                }
                if (pending.decrementAndGet() == 0) {
                  apply(answers, failed[0]);
                }
              });
    }
  }

  private List<Cluster.ResolvedEndpoint> toEndpoints(
      EndpointConfig endpoint, List<InetAddress> all) {
    List<InetAddress> kept = DnsResolution.select(cluster.config().dnsLookupFamily(), all);
    if (cluster.config().type() == DiscoveryType.LOGICAL_DNS && kept.size() > 1) {
      kept = kept.subList(0, 1);
    }
    List<Cluster.ResolvedEndpoint> out = new ArrayList<>(kept.size());
    for (InetAddress a : kept) {
      out.add(
          new Cluster.ResolvedEndpoint(
              new InetSocketAddress(a, endpoint.address().port()),
              endpoint.address().address(),
              endpoint.weight()));
    }
    return out;
  }

  private void apply(List<List<Cluster.ResolvedEndpoint>> answers, boolean anyFailed) {
    if (!anyFailed) {
      List<Cluster.ResolvedEndpoint> all = new ArrayList<>();
      answers.forEach(all::addAll);
      cluster.updateHosts(all);
    }
    cluster.markInitialized();
    if (!closed) {
      next =
          loop.schedule(
              this::refresh, cluster.config().dnsRefreshRate().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> scheduled = next;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    loop.execute(resolver::close);
  }
}
