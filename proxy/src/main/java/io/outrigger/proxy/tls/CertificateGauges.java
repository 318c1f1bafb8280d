package io.outrigger.proxy.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Per-certificate meters, labelled by the certificate's file ({@code <inline>} for inline PEM):
 * {@code ssl_certificate_expiry_days} (a gauge read at scrape time against the clock) and {@code
 * ssl_certificate_rotations}. Shared by every listener and cluster of one sidecar, so a file used
 * twice is one series. Thread-safe; written on the configuration and watcher threads.
 */
public final class CertificateGauges {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, AtomicReference<Instant>> expiry = new ConcurrentHashMap<>();

  public CertificateGauges(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Publishes or updates the expiry of {@code certificate}. */
  void loaded(String certificate, Instant notAfter) {
    expiry
        .computeIfAbsent(
            certificate,
            c -> {
              AtomicReference<Instant> ref = new AtomicReference<>(notAfter);
              Gauge.builder("ssl_certificate_expiry_days", ref, this::daysLeft)
                  .description("Days until the certificate expires")
                  .tag("certificate", c)
                  .register(registry);
              return ref;
            })
        .set(notAfter);
  }

  /** Counts one reload of {@code certificate} after its files changed. */
  void rotated(String certificate) {
    Counter.builder("ssl_certificate_rotations")
        .description("Times the certificate was reloaded after its files changed")
        .tag("certificate", certificate)
        .register(registry)
        .increment();
  }

  private double daysLeft(AtomicReference<Instant> notAfter) {
    return Duration.between(clock.instant(), notAfter.get()).toSeconds() / 86_400.0;
  }
}
