package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.metrics.v3.StatsProto;
import io.envoyproxy.envoy.type.matcher.v3.StringProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The supported subset of the bootstrap's {@code stats_config}, registered into {@link
 * SupportedFields}. {@code histogram_bucket_settings} and the rest are refused by name.
 */
final class StatsSupportedFields {
  private StatsSupportedFields() {}

  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, StatsProto.getDescriptor(), "StatsConfig")
        .read("stats_tags", "tag extraction by regex, or fixed tags; after the defaults")
        .read("use_all_default_tags", "default true: Envoy's default tag extractors")
        .read("stats_matcher", "reject_all, inclusion_list or exclusion_list on the dotted name");
    TypeRules.of(t, StatsProto.getDescriptor(), "TagSpecifier")
        .read("tag_name", "required; a default tag name alone uses its default regex")
        .read("regex", "first group removed from the name, second (or first) the value")
        .read("fixed_value", "the same value on every statistic");
    TypeRules.of(t, StatsProto.getDescriptor(), "StatsMatcher")
        .read("reject_all", "true exports no statistic in Envoy's form")
        .read("inclusion_list", "only the statistics a pattern matches")
        .read("exclusion_list", "every statistic but those a pattern matches");
    TypeRules.of(t, StringProto.getDescriptor(), "ListStringMatcher")
        .read("patterns", "StringMatcher on the full dotted name");
  }
}
