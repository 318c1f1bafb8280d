package io.outrigger.api.model.stats;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.StringMatcher;
import java.util.List;

/**
 * {@code stats_config.stats_matcher}: which statistics are exported, by their full dotted name.
 *
 * @param mode which of Envoy's three forms, or none ({@link Mode#ACCEPT_ALL}, the default)
 * @param patterns the inclusion or exclusion list; empty for the other modes
 */
public record StatsMatcherConfig(Mode mode, List<StringMatcher> patterns) {
  /** Every statistic, as without a {@code stats_matcher}. */
  public static final StatsMatcherConfig ACCEPT_ALL =
      new StatsMatcherConfig(Mode.ACCEPT_ALL, List.of());

  /** The forms of Envoy's {@code stats_matcher}. */
  public enum Mode {
    /** No matcher: every statistic. */
    ACCEPT_ALL,
    /** {@code reject_all: true}: none. */
    REJECT_ALL,
    /** {@code inclusion_list}: only the statistics a pattern matches. */
    INCLUSION,
    /** {@code exclusion_list}: every statistic except those a pattern matches. */
    EXCLUSION
  }

  public StatsMatcherConfig {
    requireNonNull(mode, "mode");
    patterns = List.copyOf(requireNonNull(patterns, "patterns"));
  }
}
