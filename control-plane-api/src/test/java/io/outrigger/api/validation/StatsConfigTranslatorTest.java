package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.metrics.v3.HistogramBucketSettings;
import io.envoyproxy.envoy.config.metrics.v3.StatsConfig;
import io.envoyproxy.envoy.config.metrics.v3.StatsMatcher;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.outrigger.api.model.http.StringMatcher.Kind;
import io.outrigger.api.model.stats.StatsMatcherConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatsConfigTranslatorTest {
  private static io.outrigger.api.model.stats.StatsConfig translate(StatsConfig stats)
      throws ConfigException {
    return BootstrapTranslator.translate(Bootstrap.newBuilder().setStatsConfig(stats).build())
        .stats();
  }

  @Test
  void withoutStatsConfigEnvoysDefaults() throws Exception {
    assertThat(BootstrapTranslator.translate(Bootstrap.getDefaultInstance()).stats())
        .isEqualTo(io.outrigger.api.model.stats.StatsConfig.DEFAULT);
  }

  @Test
  void translatesTagsDefaultsAndAnInclusionList() throws Exception {
    var config =
        translate(
            StatsConfig.newBuilder()
                .addStatsTags(
                    TagSpecifier.newBuilder().setTagName("pool").setRegex("^cluster\\.((.+?)\\.)"))
                .addStatsTags(TagSpecifier.newBuilder().setTagName("zone").setFixedValue("eu"))
                .addStatsTags(TagSpecifier.newBuilder().setTagName("envoy.cluster_name"))
                .setUseAllDefaultTags(BoolValue.of(false))
                .setStatsMatcher(
                    StatsMatcher.newBuilder()
                        .setInclusionList(
                            ListStringMatcher.newBuilder()
                                .addPatterns(StringMatcher.newBuilder().setPrefix("cluster."))
                                .addPatterns(StringMatcher.newBuilder().setSuffix("rq_total"))))
                .build());

    assertThat(config.tags()).hasSize(3);
    assertThat(config.tags().get(0).regex()).contains("^cluster\\.((.+?)\\.)");
    assertThat(config.tags().get(1).fixedValue()).contains("eu");
    assertThat(config.tags().get(2).regex()).isEqualTo(Optional.empty());
    assertThat(config.useAllDefaultTags()).isFalse();
    assertThat(config.matcher().mode()).isEqualTo(StatsMatcherConfig.Mode.INCLUSION);
    assertThat(config.matcher().patterns())
        .extracting(m -> m.kind())
        .containsExactly(Kind.PREFIX, Kind.SUFFIX);
  }

  @Test
  void rejectAllAndExclusionList() throws Exception {
    assertThat(
            translate(
                    StatsConfig.newBuilder()
                        .setStatsMatcher(StatsMatcher.newBuilder().setRejectAll(true))
                        .build())
                .matcher()
                .mode())
        .isEqualTo(StatsMatcherConfig.Mode.REJECT_ALL);
    assertThat(
            translate(
                    StatsConfig.newBuilder()
                        .setStatsMatcher(
                            StatsMatcher.newBuilder()
                                .setExclusionList(
                                    ListStringMatcher.newBuilder()
                                        .addPatterns(
                                            StringMatcher.newBuilder().setContains("jvm"))))
                        .build())
                .matcher()
                .mode())
        .isEqualTo(StatsMatcherConfig.Mode.EXCLUSION);
  }

  @Test
  void refusesUnsupportedPartsByName() {
    assertThatThrownBy(
            () ->
                translate(
                    StatsConfig.newBuilder()
                        .addHistogramBucketSettings(HistogramBucketSettings.getDefaultInstance())
                        .build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("stats_config.histogram_bucket_settings: field not supported");
  }

  @Test
  void refusesBadTagsWithTheirPath() {
    assertThatThrownBy(
            () ->
                translate(
                    StatsConfig.newBuilder()
                        .addStatsTags(TagSpecifier.newBuilder().setTagName("mine"))
                        .build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("stats_config.stats_tags[0].tag_name: \"mine\" is no default tag");
    assertThatThrownBy(
            () ->
                translate(
                    StatsConfig.newBuilder()
                        .addStatsTags(TagSpecifier.newBuilder().setTagName("t").setRegex("a("))
                        .build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("stats_config.stats_tags[0].regex: invalid regex");
  }
}
