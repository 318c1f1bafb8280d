package io.outrigger.proxy.tracing;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.outrigger.api.model.tracing.TracingConfig;
import java.util.function.DoubleSupplier;

/**
 * Envoy's sampling decision for a request that arrives without a trace context: with {@code
 * x-client-trace-id}, {@code client_sampling} percent are traced; the others (and the client ones
 * not picked) at {@code random_sampling}; {@code overall_sampling} then caps every decision. A
 * request with an incoming context keeps that context's decision and never reaches here.
 *
 * <p>Immutable; safe from any event loop when {@code uniform} is.
 */
final class SamplingPolicy {
  static final String CLIENT_TRACE_ID = "x-client-trace-id";

  private final double random;
  private final double client;
  private final double overall;
  private final DoubleSupplier uniform;

  /**
   * @param uniform returns a value in [0, 100) per call; injected so tests choose the outcome
   */
  SamplingPolicy(double random, double client, double overall, DoubleSupplier uniform) {
    this.random = random;
    this.client = client;
    this.overall = overall;
    this.uniform = requireNonNull(uniform, "uniform");
  }

  static SamplingPolicy of(TracingConfig config, DoubleSupplier uniform) {
    return new SamplingPolicy(
        config.randomSampling(), config.clientSampling(), config.overallSampling(), uniform);
  }

  /** Whether a request with these headers and no incoming trace context is traced. */
  boolean sample(HttpHeaders headers) {
    boolean traced = (headers.contains(CLIENT_TRACE_ID) && hit(client)) || hit(random);
    return traced && hit(overall);
  }

  private boolean hit(double percent) {
    if (percent >= 100) {
      return true; // no draw: the default costs nothing
    }
    return percent > 0 && uniform.getAsDouble() < percent;
  }
}
