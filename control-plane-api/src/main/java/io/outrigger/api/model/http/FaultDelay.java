package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code extensions.filters.common.fault.v3.FaultDelay}: hold a share of requests before they go
 * on.
 *
 * @param fixedDelay {@code fixed_delay}, at millisecond precision as in Envoy; empty for {@code
 *     header_delay}, where the {@code x-envoy-fault-delay-request} header gives the delay in
 *     milliseconds and no header (or a bad one) means no delay
 * @param percentage the share of requests delayed; Envoy's default when unset is 0 (none). With
 *     {@code header_delay}, {@code x-envoy-fault-delay-request-percentage} may lower the numerator
 */
public record FaultDelay(Optional<Duration> fixedDelay, FractionalPercent percentage) {
  public FaultDelay {
    requireNonNull(fixedDelay, "fixedDelay");
    requireNonNull(percentage, "percentage");
    if (fixedDelay.isPresent() && fixedDelay.get().isNegative()) {
      throw new IllegalArgumentException("fixed_delay: " + fixedDelay.get() + " (expected: >= 0s)");
    }
  }

  public static FaultDelay fixed(Duration delay, FractionalPercent percentage) {
    return new FaultDelay(Optional.of(delay), percentage);
  }

  public static FaultDelay fromHeader(FractionalPercent percentage) {
    return new FaultDelay(Optional.empty(), percentage);
  }

  /** Whether the delay comes from the request's {@code x-envoy-fault-delay-request} header. */
  public boolean headerControlled() {
    return fixedDelay.isEmpty();
  }
}
