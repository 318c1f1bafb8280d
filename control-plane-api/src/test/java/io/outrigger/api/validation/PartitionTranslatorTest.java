package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.api.model.PartitionRule.Action;
import io.outrigger.api.model.http.OptionalFilterConfig;
import io.outrigger.api.model.http.PartitionFilterConfig;
import io.outrigger.api.model.http.RouteSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The partition filters' TypedStruct, as an http filter, a per-route config and a network filter.
 */
class PartitionTranslatorTest {
  private static final String FIRST = "hcm.http_filters[0].typed_config";

  static Struct struct(String json) throws Exception {
    Struct.Builder b = Struct.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }

  static Any typed(String typeUrl, String json) throws Exception {
    return Any.pack(TypedStruct.newBuilder().setTypeUrl(typeUrl).setValue(struct(json)).build());
  }

  private static HttpConnectionManager.Builder chain(Any partition) {
    return HttpProtos.hcm(HttpProtos.route("/", "svc"))
        .clearHttpFilters()
        .addHttpFilters(
            HttpFilter.newBuilder()
                .setName(PartitionFilterConfig.FILTER_NAME)
                .setTypedConfig(partition))
        .addHttpFilters(HttpProtos.router());
  }

  private static PartitionFilterConfig translate(String json) throws Exception {
    return (PartitionFilterConfig)
        HttpConnectionManagerTranslator.translate(
                "", chain(typed(PartitionFilterConfig.TYPE_URL, json)).build(), "hcm")
            .httpFilters()
            .get(0);
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> translate(json))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void translatesEveryActionWithItsDefaults() throws Exception {
    PartitionFilterConfig config =
        translate(
            """
            {"rules": [
              {"peer": "N2", "action": "drop"},
              {"peer": "n3", "action": "DELAY", "delay": "200ms"},
              {"peer": "n4", "action": "lose", "fraction": 0.3},
              {"peer": "n5", "action": "lose"},
              {"peer": "n6", "action": "delay", "delay": "1.5s"},
              {"peer": "n7", "action": "refuse"},
              {"peer": "n8", "action": "reset"}
            ]}
            """);

    assertThat(config.name()).isEqualTo("outrigger.filters.partition");
    assertThat(config.rules())
        .containsExactly(
            PartitionRule.of("n2", Action.DROP),
            new PartitionRule("n3", Action.DELAY, Duration.ofMillis(200), 1.0),
            new PartitionRule("n4", Action.LOSE, Duration.ZERO, 0.3),
            new PartitionRule("n5", Action.LOSE, Duration.ZERO, 1.0),
            new PartitionRule("n6", Action.DELAY, Duration.ofMillis(1500), 1.0),
            PartitionRule.of("n7", Action.REFUSE),
            PartitionRule.of("n8", Action.RESET));
    assertThat(config.rule("N2")).contains(PartitionRule.of("n2", Action.DROP));
    assertThat(config.rule("n9")).isEmpty();
  }

  @Test
  void emptyValueMeansEverythingPasses() throws Exception {
    assertThat(translate("{}").rules()).isEmpty();
    assertThat(translate("{\"rules\": []}").rules()).isEmpty();
  }

  @Test
  void theHttpFilterMayNameItsPeer() throws Exception {
    assertThat(translate("{\"peer\": \"n2\", \"rules\": []}").peer()).contains("n2");
    assertThat(translate("{\"rules\": []}").peer()).isEmpty();
  }

  @Test
  void acceptsTheOlderUdpaTypedStruct() throws Exception {
    Any udpa =
        Any.pack(
            com.github.udpa.udpa.type.v1.TypedStruct.newBuilder()
                .setTypeUrl(PartitionFilterConfig.TYPE_URL)
                .setValue(struct("{\"rules\":[{\"peer\":\"n2\",\"action\":\"refuse\"}]}"))
                .build());

    PartitionFilterConfig config =
        (PartitionFilterConfig)
            HttpConnectionManagerTranslator.translate("", chain(udpa).build(), "hcm")
                .httpFilters()
                .get(0);

    assertThat(config.rules()).containsExactly(PartitionRule.of("n2", Action.REFUSE));
  }

  @Test
  void refusalsNameTheFieldPath() {
    assertRefused(
        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"drop\"},{\"peer\":\"n3\",\"action\":\"fly\"}]}",
        FIRST + ".value.rules[1].action: \"fly\" (expected: drop, refuse, reset, delay or lose)");
    assertRefused(
        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"delay\"}]}",
        FIRST + ".value.rules[0].delay: required for action delay");
    assertRefused(
        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"delay\",\"delay\":\"0s\"}]}",
        FIRST + ".value.rules[0].delay: PT0S (expected: > 0s for action delay)");
    assertRefused(
        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"delay\",\"delay\":\"soon\"}]}",
        FIRST + ".value.rules[0].delay: \"soon\" (expected: a duration like 200ms or 1.5s)");
    assertRefused(
        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"lose\",\"fraction\":1.5}]}",
        FIRST + ".value.rules[0].fraction: 1.5 (expected: (0, 1])");
    assertRefused(
        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"lose\",\"fraction\":0}]}",
        FIRST + ".value.rules[0].fraction: 0.0 (expected: (0, 1])");
    assertRefused(
        "{\"rules\":[{\"peer\":\"\",\"action\":\"drop\"}]}",
        FIRST + ".value.rules[0].peer: empty (expected: a node name)");
    assertRefused("{\"rules\":[{\"action\":\"drop\"}]}", FIRST + ".value.rules[0].peer: required");
    assertRefused(
        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"drop\",\"color\":\"red\"}]}",
        FIRST
            + ".value.rules[0].color: unknown field (expected: one of [action, delay, fraction,"
            + " peer])");
    assertRefused(
        "{\"rules\":{\"peer\":\"n2\"}}",
        FIRST + ".value.rules: expected a list of {peer, action, delay, fraction}");
  }

  @Test
  void refusesAnotherTypedStructTypeUrl() throws Exception {
    HttpConnectionManager hcm = chain(typed("type.googleapis.com/acme.Other", "{}")).build();

    assertThatThrownBy(() -> HttpConnectionManagerTranslator.translate("", hcm, "hcm"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(FIRST + ".type_url: \"type.googleapis.com/acme.Other\" not");
  }

  @Test
  void perRouteConfigInAnOptionalFilterConfigIsKeptAndIgnoredWithoutTheFilter() throws Exception {
    Any wrapped =
        Any.pack(
            FilterConfig.newBuilder()
                .setIsOptional(true)
                .setConfig(
                    typed(
                        PartitionFilterConfig.TYPE_URL,
                        "{\"rules\":[{\"peer\":\"n2\",\"action\":\"refuse\"}]}"))
                .build());
    HttpConnectionManager.Builder withFilter = chain(typed(PartitionFilterConfig.TYPE_URL, "{}"));
    withFilter
        .getRouteConfigBuilder()
        .getVirtualHostsBuilder(0)
        .putTypedPerFilterConfig(PartitionFilterConfig.FILTER_NAME, wrapped);

    var config = HttpConnectionManagerTranslator.translate("", withFilter.build(), "hcm");
    var host =
        ((RouteSource.InlineRoutes) config.routeSource()).routeConfig().virtualHosts().get(0);
    assertThat(host.typedPerFilterConfig().get(PartitionFilterConfig.FILTER_NAME))
        .isEqualTo(
            new OptionalFilterConfig(
                new PartitionFilterConfig(
                    PartitionFilterConfig.FILTER_NAME,
                    List.of(PartitionRule.of("n2", Action.REFUSE)))));

    HttpConnectionManager.Builder without =
        HttpProtos.hcm(HttpProtos.route("/", "svc"))
            .clearHttpFilters()
            .addHttpFilters(HttpProtos.router());
    without
        .getRouteConfigBuilder()
        .getVirtualHostsBuilder(0)
        .putTypedPerFilterConfig(PartitionFilterConfig.FILTER_NAME, wrapped);
    assertThat(HttpConnectionManagerTranslator.translate("", without.build(), "hcm")).isNotNull();

    without
        .getRouteConfigBuilder()
        .getVirtualHostsBuilder(0)
        .putTypedPerFilterConfig(
            PartitionFilterConfig.FILTER_NAME,
            Any.pack(
                FilterConfig.newBuilder()
                    .setConfig(wrapped.unpack(FilterConfig.class).getConfig())
                    .build()));
    assertThatThrownBy(() -> HttpConnectionManagerTranslator.translate("", without.build(), "hcm"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no http filter named \"outrigger.filters.partition\"");
  }

  private static Filter networkFilter(String json) throws Exception {
    return Filter.newBuilder()
        .setName(PartitionNetworkFilterConfig.FILTER_NAME)
        .setTypedConfig(typed(PartitionNetworkFilterConfig.TYPE_URL, json))
        .build();
  }

  @Test
  void networkFilterPrecedesTheTerminalFilter() throws Exception {
    Listener listener =
        Protos.listener("l", "svc")
            .setFilterChains(
                0,
                FilterChain.newBuilder()
                    .addFilters(
                        networkFilter(
                            "{\"peer\":\"N2\",\"rules\":[{\"peer\":\"n2\",\"action\":\"reset\"}]}"))
                    .addFilters(Protos.tcpProxyFilter("svc")))
            .build();

    ListenerConfig config = ListenerTranslator.translate(listener, "listeners[0]");

    PartitionNetworkFilterConfig filter =
        (PartitionNetworkFilterConfig) config.filterChains().get(0).filters().get(0);
    assertThat(filter.peer()).isEqualTo("n2");
    assertThat(filter.rule()).contains(PartitionRule.of("n2", Action.RESET));
  }

  @Test
  void networkFilterIsNotTerminalAndNeedsAPeer() throws Exception {
    Listener alone =
        Protos.listener("l", "svc")
            .setFilterChains(
                0, FilterChain.newBuilder().addFilters(networkFilter("{\"peer\":\"n2\"}")))
            .build();
    assertThatThrownBy(() -> ListenerTranslator.translate(alone, "listeners[0]"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "listeners[0].filter_chains[0].filters[0]: outrigger.filters.network.partition is not"
                + " a terminal filter (expected: a tcp_proxy or http_connection_manager after it)");

    Listener noPeer =
        Protos.listener("l", "svc")
            .setFilterChains(
                0,
                FilterChain.newBuilder()
                    .addFilters(networkFilter("{\"rules\":[]}"))
                    .addFilters(Protos.tcpProxyFilter("svc")))
            .build();
    assertThatThrownBy(() -> ListenerTranslator.translate(noPeer, "listeners[0]"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("listeners[0].filter_chains[0].filters[0].typed_config.value.peer: required");
  }
}
