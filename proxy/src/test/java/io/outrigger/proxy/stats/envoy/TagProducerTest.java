package io.outrigger.proxy.stats.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.api.model.stats.StatsMatcherConfig;
import io.outrigger.api.model.stats.TagSpecifier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Envoy's default tag extraction, on the names Envoy's own tests use. */
class TagProducerTest {
  private final TagProducer defaults = TagProducer.defaults();

  private static Tag tag(String name, String value) {
    return new Tag(name, value);
  }

  @Test
  void clusterResponseClassBecomesUpstreamRqXx() {
    TagProducer.Extracted e = defaults.produce("cluster.backend.upstream_rq_5xx");
    assertThat(e.name()).isEqualTo("cluster.upstream_rq_xx");
    assertThat(e.tags())
        .containsExactly(
            tag("envoy.response_code_class", "5"), tag("envoy.cluster_name", "backend"));
  }

  @Test
  void clusterResponseCodeBecomesUpstreamRq() {
    TagProducer.Extracted e = defaults.produce("cluster.backend.upstream_rq_503");
    assertThat(e.name()).isEqualTo("cluster.upstream_rq");
    assertThat(e.tags())
        .containsExactly(tag("envoy.response_code", "503"), tag("envoy.cluster_name", "backend"));
  }

  @Test
  void circuitBreakerKeepsItsDottedTail() {
    TagProducer.Extracted e = defaults.produce("cluster.backend.circuit_breakers.default.rq_open");
    assertThat(e.name()).isEqualTo("cluster.circuit_breakers.default.rq_open");
    assertThat(e.tags()).containsExactly(tag("envoy.cluster_name", "backend"));
  }

  @Test
  void listenerAddressAndConnectionManagerPrefix() {
    assertThat(defaults.produce("listener.0.0.0.0_10000.downstream_cx_total"))
        .isEqualTo(
            new TagProducer.Extracted(
                "listener.downstream_cx_total",
                List.of(tag("envoy.listener_address", "0.0.0.0_10000"))));
    TagProducer.Extracted e =
        defaults.produce("listener.127.0.0.1_3012.http.http_prefix.downstream_rq_5xx");
    assertThat(e.name()).isEqualTo("listener.http.downstream_rq_xx");
    assertThat(e.tags())
        .containsExactlyInAnyOrder(
            tag("envoy.response_code_class", "5"),
            tag("envoy.http_conn_manager_prefix", "http_prefix"),
            tag("envoy.listener_address", "127.0.0.1_3012"));
  }

  @Test
  void httpTcpRbacAndFilterPrefixes() {
    assertThat(defaults.produce("http.ingress_http.downstream_rq_time").name())
        .isEqualTo("http.downstream_rq_time");
    assertThat(defaults.produce("tcp.db.downstream_cx_no_route").tags())
        .containsExactly(tag("envoy.tcp_prefix", "db"));
    assertThat(defaults.produce("my_rbac.rbac.denied"))
        .isEqualTo(
            new TagProducer.Extracted("rbac.denied", List.of(tag("envoy.rbac_prefix", "my_rbac"))));
    TagProducer.Extracted http = defaults.produce("http.hcm.rbac.rules.shadow_allowed");
    assertThat(http.name()).isEqualTo("http.rbac.shadow_allowed");
    assertThat(http.tags())
        .containsExactly(
            tag("envoy.rbac_http_prefix", "rules"), tag("envoy.http_conn_manager_prefix", "hcm"));
    assertThat(defaults.produce("rl.http_local_rate_limit.rate_limited").name())
        .isEqualTo("http_local_rate_limit.rate_limited");
    assertThat(defaults.produce("connection_limit.cl.limited_connections").name())
        .isEqualTo("connection_limit.limited_connections");
  }

  @Test
  void customTagsComeFirstAndFixedTagsLast() {
    TagProducer custom =
        new TagProducer(
            new StatsConfig(
                List.of(
                    new TagSpecifier(
                        "pool", Optional.of("^cluster\\.((.+?)\\.)"), Optional.empty()),
                    new TagSpecifier("zone", Optional.empty(), Optional.of("eu-1"))),
                true,
                StatsMatcherConfig.ACCEPT_ALL));
    TagProducer.Extracted e = custom.produce("cluster.backend.upstream_rq_retry");
    assertThat(e.name()).isEqualTo("cluster.upstream_rq_retry");
    // envoy.cluster_name finds the same part; the part is removed once.
    assertThat(e.tags())
        .containsExactly(
            tag("pool", "backend"), tag("envoy.cluster_name", "backend"), tag("zone", "eu-1"));
  }

  @Test
  void withoutDefaultTagsTheNameStaysWhole() {
    TagProducer none =
        new TagProducer(new StatsConfig(List.of(), false, StatsMatcherConfig.ACCEPT_ALL));
    TagProducer.Extracted e = none.produce("cluster.backend.upstream_rq_5xx");
    assertThat(e.name()).isEqualTo("cluster.backend.upstream_rq_5xx");
    assertThat(e.tags()).isEmpty();
  }

  @Test
  void defaultTagNamedAloneUsesItsDefaultRegex() {
    TagProducer only =
        new TagProducer(
            new StatsConfig(
                List.of(new TagSpecifier("envoy.cluster_name", Optional.empty(), Optional.empty())),
                false,
                StatsMatcherConfig.ACCEPT_ALL));
    assertThat(only.produce("cluster.b.upstream_rq_5xx").name())
        .isEqualTo("cluster.upstream_rq_5xx");
    assertThatThrownBy(
            () ->
                new TagProducer(
                    new StatsConfig(
                        List.of(new TagSpecifier("mine", Optional.empty(), Optional.empty())),
                        true,
                        StatsMatcherConfig.ACCEPT_ALL)))
        .hasMessageContaining("\"mine\" is no default tag name");
  }
}
