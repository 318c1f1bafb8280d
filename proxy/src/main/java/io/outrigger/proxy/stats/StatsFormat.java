package io.outrigger.proxy.stats;

import java.util.Locale;

/** What {@code /stats/prometheus} writes; {@code --stats-format} on the command line. */
public enum StatsFormat {
  /**
   * Envoy's own exposition, the default: {@code
   * envoy_cluster_upstream_rq_xx{envoy_cluster_name="b", envoy_response_code_class="5"}}, counters
   * without {@code _total}, histograms in milliseconds.
   */
  ENVOY,
  /**
   * Outrigger's earlier, Prometheus-idiomatic form: Envoy's stat names with the scope as a label
   * ({@code upstream_rq_total{cluster="b",response_code_class="5xx"}}), counters with {@code
   * _total}, histograms in seconds.
   */
  IDIOMATIC;

  /** {@code envoy} or {@code idiomatic}, any case. */
  public static StatsFormat parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "stats format \"" + s + "\" unknown (expected: envoy, idiomatic)");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
