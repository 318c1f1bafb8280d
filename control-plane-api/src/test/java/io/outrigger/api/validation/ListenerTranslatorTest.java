package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit;
import io.outrigger.api.model.ConnectionLimitFilterConfig;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.PartitionNetworkFilterConfig;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.api.model.TcpProxyConfig;
import org.junit.jupiter.api.Test;

class ListenerTranslatorTest {
  private static final String PATH = "static_resources.listeners[0]";

  @Test
  void translatesTcpProxyListenerWithDefaults() throws Exception {
    ListenerConfig config =
        ListenerTranslator.translate(Protos.listener("in", "backend").build(), PATH);

    assertThat(config.name()).isEqualTo("in");
    assertThat(config.address()).isEqualTo(new SocketAddressConfig("127.0.0.1", 10000));
    assertThat(config.perConnectionBufferLimitBytes())
        .isEqualTo(ListenerConfig.DEFAULT_PER_CONNECTION_BUFFER_LIMIT_BYTES);
    assertThat(config.firstFilterChain().terminalFilter())
        .isInstanceOfSatisfying(
            TcpProxyConfig.class, t -> assertThat(t.cluster()).isEqualTo("backend"));
  }

  @Test
  void readsBufferLimitAndAcceptsStatPrefix() throws Exception {
    Listener proto =
        Protos.listener("in", "b")
            .setPerConnectionBufferLimitBytes(UInt32Value.of(32768))
            .setStatPrefix("x")
            .build();

    assertThat(ListenerTranslator.translate(proto, PATH).perConnectionBufferLimitBytes())
        .isEqualTo(32768);
  }

  @Test
  void recognisesTcpProxyByTypeWhateverItsName() throws Exception {
    Listener proto =
        Protos.listener("in", "b")
            .setFilterChains(
                0,
                FilterChain.newBuilder()
                    .addFilters(Protos.tcpProxyFilter("b").toBuilder().setName("my-proxy")))
            .build();

    assertThat(ListenerTranslator.translate(proto, PATH).firstFilterChain().terminalFilter().name())
        .isEqualTo("my-proxy");
  }

  @Test
  void refusesMissingNameAndAddress() {
    assertThatThrownBy(() -> ListenerTranslator.translate(Protos.listener("", "b").build(), PATH))
        .hasMessage(PATH + ".name: required");
    assertThatThrownBy(
            () ->
                ListenerTranslator.translate(
                    Protos.listener("in", "b").clearAddress().build(), PATH))
        .hasMessage(PATH + ".address: required");
  }

  @Test
  void refusesTwoFilterChainsWithTheSameMatch() {
    Listener twoChains =
        Protos.listener("in", "b")
            .addFilterChains(FilterChain.newBuilder().addFilters(Protos.tcpProxyFilter("b")))
            .build();

    assertThatThrownBy(() -> ListenerTranslator.translate(twoChains, PATH))
        .hasMessage(
            PATH
                + ".filter_chains: chains 0 and 1 have the same filter_chain_match (expected:"
                + " distinct matches, as in Envoy)");
  }

  @Test
  void refusesUnsupportedFilterChainMatchFieldsListenerFilterFieldsAndTransparentByName() {
    Listener match =
        Protos.listener("in", "b")
            .setFilterChains(
                0,
                FilterChain.newBuilder()
                    .setFilterChainMatch(FilterChainMatch.newBuilder().setAddressSuffix("x"))
                    .addFilters(Protos.tcpProxyFilter("b")))
            .build();
    Listener disabled =
        Protos.listener("in", "b")
            .addListenerFilters(
                ListenerFilter.newBuilder()
                    .setName("tls_inspector")
                    .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance()))
                    .setFilterDisabled(
                        io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate
                            .newBuilder()
                            .setAnyMatch(true)))
            .build();
    Listener ja3 =
        Protos.listener("in", "b")
            .addListenerFilters(
                ListenerFilter.newBuilder()
                    .setName("tls_inspector")
                    .setTypedConfig(
                        Any.pack(
                            TlsInspector.newBuilder()
                                .setEnableJa3Fingerprinting(BoolValue.of(true))
                                .build())))
            .build();
    Listener transparent = Protos.listener("in", "b").setTransparent(BoolValue.of(true)).build();

    assertThatThrownBy(() -> ListenerTranslator.translate(match, PATH))
        .hasMessage(
            PATH
                + ".filter_chains[0].filter_chain_match.address_suffix: "
                + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(() -> ListenerTranslator.translate(disabled, PATH))
        .hasMessage(
            PATH + ".listener_filters[0].filter_disabled: " + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(() -> ListenerTranslator.translate(ja3, PATH))
        .hasMessage(
            PATH
                + ".listener_filters[0].typed_config.enable_ja3_fingerprinting: "
                + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(() -> ListenerTranslator.translate(transparent, PATH))
        .hasMessage(PATH + ".transparent: " + SupportedFieldsCheck.NOT_SUPPORTED);
  }

  @Test
  void refusesOtherFilterTypesNamingTheType() {
    Filter hcm =
        Filter.newBuilder()
            .setName("envoy.filters.network.tcp_proxy")
            .setTypedConfig(Any.pack(Router.getDefaultInstance()))
            .build();
    Listener proto =
        Protos.listener("in", "b")
            .setFilterChains(0, FilterChain.newBuilder().addFilters(hcm))
            .build();

    assertThatThrownBy(() -> ListenerTranslator.translate(proto, PATH))
        .hasMessage(
            PATH
                + ".filter_chains[0].filters[0].typed_config: filter type"
                + " \"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\""
                + " not supported (supported: "
                + TcpProxyTranslator.TYPE_URL
                + ", "
                + HttpConnectionManagerTranslator.TYPE_URL
                + ", type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC"
                + ", "
                + ConnectionLimitFilterConfig.TYPE_URL
                + ", type.googleapis.com/xds.type.v3.TypedStruct of "
                + PartitionNetworkFilterConfig.TYPE_URL
                + ")");
  }

  private static Listener withConnectionLimit(ConnectionLimit limit) {
    Filter filter =
        Filter.newBuilder()
            .setName("envoy.filters.network.connection_limit")
            .setTypedConfig(Any.pack(limit))
            .build();
    return Protos.listener("in", "b")
        .setFilterChains(
            0, FilterChain.newBuilder().addFilters(filter).addFilters(Protos.tcpProxyFilter("b")))
        .build();
  }

  @Test
  void translatesTheConnectionLimitFilterBeforeTheTerminalOne() throws Exception {
    ListenerConfig config =
        ListenerTranslator.translate(
            withConnectionLimit(
                ConnectionLimit.newBuilder()
                    .setStatPrefix("edge")
                    .setMaxConnections(UInt64Value.of(100))
                    .setDelay(Duration.newBuilder().setNanos(250_000_000))
                    .build()),
            PATH);

    assertThat(config.firstFilterChain().filters().get(0))
        .isEqualTo(
            new ConnectionLimitFilterConfig(
                "envoy.filters.network.connection_limit",
                "edge",
                100,
                java.time.Duration.ofMillis(250)));
  }

  @Test
  void theConnectionLimitFilterNeedsItsLimitAndRefusesRuntimeFlagsByName() {
    String filter = PATH + ".filter_chains[0].filters[0].typed_config";
    assertThatThrownBy(
            () ->
                ListenerTranslator.translate(
                    withConnectionLimit(ConnectionLimit.newBuilder().setStatPrefix("e").build()),
                    PATH))
        .hasMessage(filter + ".max_connections: required");
    assertThatThrownBy(
            () ->
                ListenerTranslator.translate(
                    withConnectionLimit(
                        ConnectionLimit.newBuilder()
                            .setStatPrefix("e")
                            .setMaxConnections(UInt64Value.of(0))
                            .build()),
                    PATH))
        .hasMessageContaining(filter + ".max_connections: 0 (expected: at least 1)");
    assertThatThrownBy(
            () ->
                ListenerTranslator.translate(
                    withConnectionLimit(
                        ConnectionLimit.newBuilder()
                            .setStatPrefix("e")
                            .setMaxConnections(UInt64Value.of(5))
                            .setRuntimeEnabled(
                                io.envoyproxy.envoy.config.core.v3.RuntimeFeatureFlag
                                    .getDefaultInstance())
                            .build()),
                    PATH))
        .hasMessageContaining("runtime_enabled");
  }

  @Test
  void refusesTcpProxyThatIsNotLast() {
    Listener proto =
        Protos.listener("in", "b")
            .setFilterChains(
                0,
                FilterChain.newBuilder()
                    .addFilters(Protos.tcpProxyFilter("b"))
                    .addFilters(Protos.tcpProxyFilter("c")))
            .build();

    assertThatThrownBy(() -> ListenerTranslator.translate(proto, PATH))
        .hasMessage(
            PATH
                + ".filter_chains[0].filters[0]: tcp_proxy is a terminal filter and must be the last"
                + " filter of the chain");
  }

  @Test
  void refusesFilterWithoutTypedConfigAndChainWithoutFilters() {
    Listener noConfig =
        Protos.listener("in", "b")
            .setFilterChains(
                0, FilterChain.newBuilder().addFilters(Filter.newBuilder().setName("x")))
            .build();
    Listener noFilters =
        Protos.listener("in", "b")
            .setFilterChains(0, FilterChain.newBuilder().setName("c"))
            .build();

    assertThatThrownBy(() -> ListenerTranslator.translate(noConfig, PATH))
        .hasMessage(PATH + ".filter_chains[0].filters[0].typed_config: required");
    assertThatThrownBy(() -> ListenerTranslator.translate(noFilters, PATH))
        .hasMessage(
            PATH
                + ".filter_chains[0].filters: required (expected: a tcp_proxy or"
                + " http_connection_manager filter last)");
  }
}
