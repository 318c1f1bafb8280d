package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.metrics.v3.StatsMatcher;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.api.model.stats.StatsMatcherConfig;
import io.outrigger.api.model.stats.TagSpecifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates the bootstrap's {@code stats_config} into {@link StatsConfig}; the fields outside the
 * supported subset have already been refused by {@link SupportedFieldsCheck}.
 */
final class StatsConfigTranslator {
  private StatsConfigTranslator() {}

  static StatsConfig translate(io.envoyproxy.envoy.config.metrics.v3.StatsConfig proto)
      throws ConfigException {
    String path = "stats_config";
    List<TagSpecifier> tags = new ArrayList<>();
    for (int i = 0; i < proto.getStatsTagsCount(); i++) {
      var t = proto.getStatsTags(i);
      String at = Paths.item(path, "stats_tags", i);
      try {
        tags.add(
            new TagSpecifier(
                t.getTagName(),
                t.hasRegex() ? Optional.of(t.getRegex()) : Optional.empty(),
                t.hasFixedValue() ? Optional.of(t.getFixedValue()) : Optional.empty()));
      } catch (IllegalArgumentException e) {
        throw Paths.fromModel(at, e);
      }
    }
    boolean defaults = !proto.hasUseAllDefaultTags() || proto.getUseAllDefaultTags().getValue();
    StatsMatcherConfig matcher =
        proto.hasStatsMatcher()
            ? matcher(proto.getStatsMatcher(), Paths.field(path, "stats_matcher"))
            : StatsMatcherConfig.ACCEPT_ALL;
    return new StatsConfig(tags, defaults, matcher);
  }

  private static StatsMatcherConfig matcher(StatsMatcher proto, String path)
      throws ConfigException {
    return switch (proto.getStatsMatcherCase()) {
      case REJECT_ALL ->
          proto.getRejectAll()
              ? new StatsMatcherConfig(StatsMatcherConfig.Mode.REJECT_ALL, List.of())
              : StatsMatcherConfig.ACCEPT_ALL;
      case INCLUSION_LIST ->
          new StatsMatcherConfig(
              StatsMatcherConfig.Mode.INCLUSION,
              patterns(proto.getInclusionList(), Paths.field(path, "inclusion_list")));
      case EXCLUSION_LIST ->
          new StatsMatcherConfig(
              StatsMatcherConfig.Mode.EXCLUSION,
              patterns(proto.getExclusionList(), Paths.field(path, "exclusion_list")));
      default ->
          throw ConfigException.at(
              path, "one of reject_all, inclusion_list, exclusion_list required");
    };
  }

  private static List<StringMatcher> patterns(
      io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher list, String path)
      throws ConfigException {
    if (list.getPatternsCount() == 0) {
      throw ConfigException.at(
          Paths.field(path, "patterns"), "empty (expected: at least one pattern)");
    }
    List<StringMatcher> patterns = new ArrayList<>();
    for (int i = 0; i < list.getPatternsCount(); i++) {
      patterns.add(
          StringMatcherTranslator.translate(list.getPatterns(i), Paths.item(path, "patterns", i)));
    }
    return patterns;
  }
}
