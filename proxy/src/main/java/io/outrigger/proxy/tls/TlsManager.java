package io.outrigger.proxy.tls;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.outrigger.api.model.tls.DownstreamTlsConfig;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The sidecar's TLS: builds the contexts of filter chains and clusters, owns the certificate
 * watcher, the {@link SecretManager} and the per-certificate meters. One per sidecar; its methods
 * run on the configuration thread (they read files and may block).
 */
public final class TlsManager implements AutoCloseable {
  private final MeterRegistry registry;
  private final CertificateGauges gauges;
  private final CertificateWatcher watcher;
  private final SecretManager secrets;

  /**
   * @param pollInterval how often certificate files are read again (default {@link
   *     CertificateWatcher#DEFAULT_INTERVAL})
   */
  public TlsManager(MeterRegistry registry, Clock clock, Duration pollInterval) {
    this(registry, clock, pollInterval, new SecretManager(java.util.Map.of()));
  }

  /**
   * @param secrets the bootstrap's static secrets and the ones SDS brings
   */
  public TlsManager(
      MeterRegistry registry, Clock clock, Duration pollInterval, SecretManager secrets) {
    this.secrets = requireNonNull(secrets, "secrets");
    this.registry = requireNonNull(registry, "registry");
    this.gauges = new CertificateGauges(registry, requireNonNull(clock, "clock"));
    this.watcher = new CertificateWatcher(pollInterval);
  }

  /**
   * The termination of a filter chain of {@code listener}.
   *
   * @throws IllegalArgumentException when the certificate, key or CA cannot be read or used
   */
  public ServerTls server(DownstreamTlsConfig config, String listener) {
    ReloadableSslContext ctx =
        named(
            "listener " + listener,
            () ->
                new ReloadableSslContext(
                    config.common(), (r, m) -> SslContexts.server(config, r, m), gauges, secrets));
    return new ServerTls(
        config, ctx, new TlsStats(registry, "listener", listener), watcher, secrets);
  }

  /**
   * The origination of {@code cluster}'s connections.
   *
   * @throws IllegalArgumentException when the certificate, key or CA cannot be read or used
   */
  public ClientTls client(UpstreamTlsConfig config, String cluster) {
    ReloadableSslContext ctx =
        named(
            "cluster " + cluster,
            () ->
                new ReloadableSslContext(
                    config.common(), (r, m) -> SslContexts.client(config, r, m), gauges, secrets));
    return new ClientTls(config, ctx, new TlsStats(registry, "cluster", cluster), watcher, secrets);
  }

  private static ReloadableSslContext named(
      String owner, java.util.function.Supplier<ReloadableSslContext> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(owner + ": transport_socket: " + e.getMessage(), e);
    }
  }

  /** The secrets: static ones and the ones SDS brings. */
  public SecretManager secrets() {
    return secrets;
  }

  /** Reads every watched file now (tests; the watcher does it on its own every interval). */
  public int pollNow() {
    return watcher.poll();
  }

  @Override
  public void close() {
    watcher.close();
  }
}
