package io.outrigger.proxy.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * TLS statistics of one listener or cluster, named after Envoy's {@code ssl.*}: handshakes,
 * connection errors and handshake failures by a bounded {@link FailureReason} ({@link
 * CertificateGauges} has the per-certificate meters). Meters are created at configuration time; the
 * data path only increments. Thread-safe.
 */
public final class TlsStats {
  /** Why a handshake failed; a bounded label set. */
  public enum FailureReason {
    /** A client certificate was required and none was sent. */
    NO_CERTIFICATE,
    /** The peer's chain does not lead to the trusted CA (or is expired, malformed…). */
    UNTRUSTED,
    /** The chain is trusted but no URI SAN matches. */
    SAN_MISMATCH,
    /** No common protocol version, cipher or ALPN; not TLS at all. */
    PROTOCOL,
    /**
     * The peer closed or reset the connection before the handshake finished: a TCP health check
     * that only connects, a client that gave up. Logged at DEBUG only.
     */
    CLOSED,
    /** Anything else: a handshake timeout, an internal error. */
    OTHER;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Counter handshakes;
  private final Counter connectionErrors;
  private final Counter secretsNotReady;
  private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);

  /**
   * @param scope {@code listener} or {@code cluster}
   * @param name the listener's or cluster's name
   */
  public TlsStats(MeterRegistry registry, String scope, String name) {
    this.handshakes =
        Counter.builder("ssl_handshake")
            .description("TLS handshakes completed")
            .tag(scope, name)
            .register(registry);
    this.connectionErrors =
        Counter.builder("ssl_connection_error")
            .description("TLS connections that failed, in or after the handshake")
            .tag(scope, name)
            .register(registry);
    this.secretsNotReady =
        Counter.builder(
                scope.equals("listener")
                    ? "downstream_context_secrets_not_ready"
                    : "upstream_context_secrets_not_ready")
            .description("Connections failed because the TLS context's SDS secret has not arrived")
            .tag(scope, name)
            .register(registry);
    for (FailureReason r : FailureReason.values()) {
      failures.put(
          r,
          Counter.builder("ssl_handshake_error")
              .description("TLS handshakes that failed, by reason")
              .tag(scope, name)
              .tag("reason", r.label())
              .register(registry));
    }
  }

  void handshake() {
    handshakes.increment();
  }

  void secretsNotReady() {
    connectionErrors.increment();
    secretsNotReady.increment();
  }

  void handshakeFailed(FailureReason reason) {
    connectionErrors.increment();
    failures.get(reason).increment();
  }
}
