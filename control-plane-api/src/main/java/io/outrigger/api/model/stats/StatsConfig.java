package io.outrigger.api.model.stats;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The bootstrap's {@code stats_config}: how statistics are named and which are exported in Envoy's
 * form ({@code /stats}, {@code /stats/prometheus}).
 *
 * @param tags {@code stats_tags}, in order; default none
 * @param useAllDefaultTags {@code use_all_default_tags}: apply Envoy's default tag extractors
 *     ({@code envoy.cluster_name}, …); default true
 * @param matcher {@code stats_matcher}; default every statistic
 */
public record StatsConfig(
    List<TagSpecifier> tags, boolean useAllDefaultTags, StatsMatcherConfig matcher) {
  /** Envoy's defaults: the default tags, every statistic. */
  public static final StatsConfig DEFAULT =
      new StatsConfig(List.of(), true, StatsMatcherConfig.ACCEPT_ALL);

  public StatsConfig {
    tags = List.copyOf(requireNonNull(tags, "tags"));
    requireNonNull(matcher, "matcher");
  }
}
