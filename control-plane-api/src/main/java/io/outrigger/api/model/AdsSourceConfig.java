package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A {@code dynamic_resources.lds_config} or {@code cds_config} of {@code ads: {}}: the type is
 * discovered over the aggregated stream, for all names (wildcard).
 *
 * @param initialFetchTimeout how long start-up waits for the first response of the type before the
 *     sidecar goes ready on what it has; Envoy's default 15 s; {@link Duration#ZERO} waits forever
 */
public record AdsSourceConfig(Duration initialFetchTimeout) {
  public static final Duration DEFAULT_INITIAL_FETCH_TIMEOUT = Duration.ofSeconds(15);
  public static final AdsSourceConfig DEFAULT = new AdsSourceConfig(DEFAULT_INITIAL_FETCH_TIMEOUT);

  public AdsSourceConfig {
    requireNonNull(initialFetchTimeout, "initialFetchTimeout");
    if (initialFetchTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "initialFetchTimeout: " + initialFetchTimeout + " (expected: >= 0)");
    }
  }
}
