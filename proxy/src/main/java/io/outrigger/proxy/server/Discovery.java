package io.outrigger.proxy.server;

import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.proxy.admin.DynamicResourcesView;
import io.outrigger.proxy.http.RouteConfigProvider;
import io.outrigger.proxy.listener.ListenerManager;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.tls.SecretManager;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.xds.AdsClient;
import io.outrigger.proxy.xds.AdsClientConfig;
import io.outrigger.proxy.xds.CertificateClient;
import io.outrigger.proxy.xds.DynamicConfig;
import io.outrigger.proxy.xds.TypeStatus;
import io.outrigger.proxy.xds.XdsResourceType;
import io.outrigger.proxy.xds.XdsStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's dynamic configuration: the discovery client ({@link AdsClient}) on its stream to
 * the control plane, and the {@link DynamicConfig} that applies what it receives to the clusters,
 * listeners and routes. Started after the static clusters and listeners, closed first at stop.
 */
final class Discovery implements DynamicResourcesView, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Discovery.class);

  /** How much longer than the initial fetch the start waits for warming clusters and listeners. */
  private static final Duration WARMING_MARGIN = Duration.ofSeconds(15);

  private final DynamicConfig config;
  private final AdsClient client;
  private final Optional<CertificateClient> certificates;
  private final Duration initialFetchTimeout;

  private Discovery(
      DynamicConfig config,
      AdsClient client,
      Optional<CertificateClient> certificates,
      Duration initialFetchTimeout) {
    this.config = config;
    this.client = client;
    this.certificates = certificates;
    this.initialFetchTimeout = initialFetchTimeout;
  }

  static Discovery start(
      BootstrapConfig bootstrap,
      ClusterManager clusters,
      ListenerManager listeners,
      RouteConfigProvider routes,
      SecretManager secrets,
      Optional<String> csrSecret,
      ProxyStats stats) {
    Clock clock = Clock.systemUTC();
    AdsClientConfig clientConfig =
        AdsClientConfig.fromBootstrap(bootstrap, clock, new SplittableRandom());
    Duration timeout = clientConfig.initialFetchTimeout();
    DynamicConfig config =
        new DynamicConfig(
            clusters,
            listeners,
            routes,
            secrets,
            clock,
            timeout.isZero() ? ClusterManager.DEFAULT_WARMING_TIMEOUT : timeout);
    // The certificate first: contexts that use it warm as soon as it is installed.
    Optional<CertificateClient> certificates =
        csrSecret.map(
            name -> CertificateClient.start(clientConfig, name, secrets, new SecureRandom()));
    AdsClient client = AdsClient.start(clientConfig, config, stats.registry());
    config.attach(client.subscriptions());
    log.info("discovery: ADS stream to {} as node {}", clientConfig.target(), bootstrap.node());
    return new Discovery(config, client, certificates, timeout);
  }

  /**
   * Waits (on the start-up thread, never an event loop) until the initial fetch is done and what it
   * brought has warmed, as Envoy's init manager does; past the initial fetch timeout it goes on
   * with what it has, so a control plane that is down delays the start but does not stop it.
   */
  void awaitInitialized() {
    CompletableFuture<Void> both =
        CompletableFuture.allOf(
            client.initialFetch(),
            config.initialized(),
            certificates
                .map(CertificateClient::first)
                .orElse(CompletableFuture.completedFuture(null)));
    try {
      if (initialFetchTimeout.isZero()) {
        both.get();
      } else {
        both.get(initialFetchTimeout.plus(WARMING_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException e) {
      log.warn(
          "discovery: not initialized after {}; going LIVE with what arrived", initialFetchTimeout);
    } catch (ExecutionException e) {
      log.warn(
          "discovery: initialization failed ({}); going LIVE with what arrived",
          e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Map<XdsResourceType, XdsStatus.TypeResources> resources() {
    return config.status();
  }

  @Override
  public Map<XdsResourceType, TypeStatus> clientStatus() {
    return client.status();
  }

  @Override
  public void close() {
    client.close();
    certificates.ifPresent(CertificateClient::close);
  }
}
