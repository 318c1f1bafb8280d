package io.outrigger.controlplane.auth;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and counts every refused caller: {@code cp_auth_refused_total{surface, reason}}, where
 * {@code surface} is {@code xds} (a discovery stream or a CSR, on the ADS port) or {@code http}
 * (the API), and {@code reason} one of {@code missing_token}, {@code unknown_token}, {@code
 * wrong_kind}, {@code identity_mismatch}, {@code scope}, {@code revoked} (an open stream closed
 * because its token was revoked). Tokens are never logged.
 */
public final class AuthRefusals {
  private static final Logger log = LoggerFactory.getLogger(AuthRefusals.class);

  /** The counter's name (Prometheus adds {@code _total}). */
  public static final String METER = "cp_auth_refused";

  private final MeterRegistry meters;

  public AuthRefusals(MeterRegistry meters) {
    this.meters = requireNonNull(meters, "meters");
  }

  /**
   * Counts and logs (WARN) one refusal.
   *
   * @param who the caller: its address, and its node when known
   * @param detail why, for the log
   */
  public void refused(String surface, String reason, String who, String detail) {
    Counter.builder(METER)
        .description("callers the control plane refused, by surface and reason")
        .tag("surface", surface)
        .tag("reason", reason)
        .register(meters)
        .increment();
    log.warn("auth: refused {} caller {} ({}): {}", surface, who, reason, detail);
  }

  /** The count so far (tests and status). */
  public double count(String surface, String reason) {
    Counter c = meters.find(METER).tag("surface", surface).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }
}
