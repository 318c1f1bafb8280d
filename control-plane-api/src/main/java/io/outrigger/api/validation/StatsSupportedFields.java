package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.metrics.v3.StatsConfig;
import io.envoyproxy.envoy.config.metrics.v3.StatsMatcher;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The supported subset of the bootstrap's {@code stats_config}, registered into {@link
 * SupportedFields}. {@code histogram_bucket_settings} and the rest are refused by name.
 */
final class StatsSupportedFields {
  private StatsSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, StatsConfig.getDescriptor())
        .read("stats_tags", "tag extraction by regex, or fixed tags; after the defaults")
        .read("use_all_default_tags", "default true: Envoy's default tag extractors")
        .read("stats_matcher", "reject_all, inclusion_list or exclusion_list on the dotted name");
    TypeRules.of(t, TagSpecifier.getDescriptor())
        .read("tag_name", "required; a default tag name alone uses its default regex")
        .read("regex", "first group removed from the name, second (or first) the value")
        .read("fixed_value", "the same value on every statistic");
    TypeRules.of(t, StatsMatcher.getDescriptor())
        .read("reject_all", "true exports no statistic in Envoy's form")
        .read("inclusion_list", "only the statistics a pattern matches")
        .read("exclusion_list", "every statistic but those a pattern matches");
    TypeRules.of(t, ListStringMatcher.getDescriptor())
        .read("patterns", "StringMatcher on the full dotted name");
  }
}
