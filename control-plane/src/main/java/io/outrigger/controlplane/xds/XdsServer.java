package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.outrigger.certs.WorkloadCertificate;
import io.outrigger.controlplane.auth.AuthRefusals;
import io.outrigger.controlplane.auth.Tokens;
import io.outrigger.controlplane.secrets.NodeSecrets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of aggregated discovery (ADS, state of the world) over java-control-plane's
 * {@link V3DiscoveryServer}; the per-type services (CDS, EDS, LDS, RDS, SDS) are served too, for
 * tools. With {@link Security}, over TLS and to node-token holders only ({@link
 * XdsAuthInterceptor}).
 */
public final class XdsServer implements AutoCloseable {
  /**
   * Who may connect and how.
   *
   * @param certificate the server certificate and key; empty serves plaintext
   * @param tokens the node tokens a caller must present; empty lets anyone in
   * @param refusals where refused callers are counted
   */
  public record Security(
      Optional<WorkloadCertificate> certificate, Optional<Tokens> tokens, AuthRefusals refusals) {
    public Security {
      requireNonNull(certificate, "certificate");
      requireNonNull(tokens, "tokens");
      requireNonNull(refusals, "refusals");
    }
  }

  private final Server server;
  private final Optional<XdsAuthInterceptor> auth;

  private XdsServer(Server server, Optional<XdsAuthInterceptor> auth) {
    this.server = server;
    this.auth = auth;
  }

  /**
   * Closes the open calls of tokens no longer granted (after the token file changed).
   *
   * @return how many were closed
   */
  public int closeRevoked() {
    return auth.map(XdsAuthInterceptor::closeRevoked).orElse(0);
  }

  /** Binds {@code address} (port 0 picks a free one) and starts serving. */
  public static XdsServer start(
      InetSocketAddress address,
      SimpleCache<String> cache,
      NodeGroup<String> groups,
      SyncTracker tracker)
      throws IOException {
    return start(
        address,
        cache,
        groups,
        tracker,
        Optional.empty(),
        new Security(
            Optional.empty(),
            Optional.empty(),
            new AuthRefusals(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())));
  }

  /**
   * As above; with {@code secrets}, Secret requests are answered per node from them (see {@link
   * SecretRoutingWatcher}).
   */
  public static XdsServer start(
      InetSocketAddress address,
      SimpleCache<String> cache,
      NodeGroup<String> groups,
      SyncTracker tracker,
      Optional<NodeSecrets> secrets,
      Security security)
      throws IOException {
    requireNonNull(address, "address");
    requireNonNull(security, "security");
    ConfigWatcher watcher = new NackAwareWatcher(cache, groups);
    List<DiscoveryServerCallbacks> callbacks = new ArrayList<>(List.of(tracker));
    if (secrets.isPresent()) {
      watcher = new SecretRoutingWatcher(watcher, secrets.get());
      callbacks.add(new SecretStreams(secrets.get()));
    }
    V3DiscoveryServer discovery = new V3DiscoveryServer(callbacks, watcher);
    RemoteAddress remote = new RemoteAddress();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
    if (security.certificate().isPresent()) {
      WorkloadCertificate c = security.certificate().get();
      try {
        builder.sslContext(
            GrpcSslContexts.configure(
                    SslContextBuilder.forServer(c.privateKey(), c.certificate())
                        // Not the default PKCS#12, which spends ~100 ms of PBKDF2 on a store
                        // that never leaves memory (the proxy's KeyAndChain.KEY_STORE_TYPE).
                        .keyStoreType("JKS"))
                .build());
      } catch (javax.net.ssl.SSLException e) {
        throw new IOException("xDS TLS: " + e.getMessage(), e);
      }
    }
    Optional<XdsAuthInterceptor> auth =
        security.tokens().map(t -> new XdsAuthInterceptor(t, security.refusals()));
    auth.ifPresent(builder::intercept);
    Server server =
        builder
            .addService(
                ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), remote))
            .addService(discovery.getClusterDiscoveryServiceImpl())
            .addService(discovery.getEndpointDiscoveryServiceImpl())
            .addService(discovery.getListenerDiscoveryServiceImpl())
            .addService(discovery.getRouteDiscoveryServiceImpl())
            .addService(discovery.getSecretDiscoveryServiceImpl())
            .addService(
                secrets
                    .map(s -> new CertificateService(s.ca(), s.ttl()).definition())
                    .orElseGet(CertificateService::unavailable))
            .build()
            .start();
    return new XdsServer(server, auth);
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
