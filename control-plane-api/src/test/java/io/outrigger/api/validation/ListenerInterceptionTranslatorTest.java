package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.ListenerFilterConfig.Kind;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListenerInterceptionTranslatorTest {
  private static final String PATH = "static_resources.listeners[0]";

  private static ListenerFilter filter(String name, com.google.protobuf.Message config) {
    return ListenerFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }

  @Test
  void translatesListenerFiltersTimeoutHandOffAndDefaultChain() throws Exception {
    Listener proto =
        Protos.listener("virtualOutbound", "a")
            .addListenerFilters(
                filter("envoy.filters.listener.original_dst", OriginalDst.getDefaultInstance()))
            .addListenerFilters(filter("tls", TlsInspector.getDefaultInstance()))
            .addListenerFilters(filter("http", HttpInspector.getDefaultInstance()))
            .setListenerFiltersTimeout(Protos.seconds(0, 100_000_000))
            .setContinueOnListenerFiltersTimeout(true)
            .setUseOriginalDst(BoolValue.of(true))
            .setDefaultFilterChain(
                FilterChain.newBuilder().setName("passthrough").addFilters(tcpProxy("pass")))
            .build();

    ListenerConfig config = ListenerTranslator.translate(proto, PATH);

    assertThat(config.listenerFilters())
        .extracting(f -> f.kind())
        .containsExactly(Kind.ORIGINAL_DST, Kind.TLS_INSPECTOR, Kind.HTTP_INSPECTOR);
    assertThat(config.listenerFiltersTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.continueOnListenerFiltersTimeout()).isTrue();
    assertThat(config.useOriginalDst()).isTrue();
    assertThat(config.bindToPort()).isTrue();
    assertThat(config.defaultFilterChain())
        .get()
        .extracting(c -> c.name())
        .isEqualTo("passthrough");
    assertThat(config.allFilterChains()).hasSize(2);
  }

  @Test
  void defaultsAreEnvoys() throws Exception {
    ListenerConfig config = ListenerTranslator.translate(Protos.listener("in", "a").build(), PATH);

    assertThat(config.listenerFilters()).isEmpty();
    assertThat(config.listenerFiltersTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.continueOnListenerFiltersTimeout()).isFalse();
    assertThat(config.useOriginalDst()).isFalse();
    assertThat(config.bindToPort()).isTrue();
    assertThat(config.defaultFilterChain()).isEmpty();
  }

  @Test
  void readsBindToPortInEitherSpellingButNotBoth() throws Exception {
    Listener modern = Protos.listener("in", "a").setBindToPort(BoolValue.of(false)).build();
    Listener v1 =
        Protos.listener("in", "a")
            .setDeprecatedV1(Listener.DeprecatedV1.newBuilder().setBindToPort(BoolValue.of(false)))
            .build();
    Listener both = modern.toBuilder().setDeprecatedV1(v1.getDeprecatedV1()).build();

    assertThat(ListenerTranslator.translate(modern, PATH).bindToPort()).isFalse();
    assertThat(ListenerTranslator.translate(v1, PATH).bindToPort()).isFalse();
    assertThatThrownBy(() -> ListenerTranslator.translate(both, PATH))
        .hasMessage(
            PATH
                + ".deprecated_v1.bind_to_port: set together with bind_to_port (expected: one of"
                + " them)");
  }

  @Test
  void translatesEveryMatchField() throws Exception {
    FilterChainMatch match =
        FilterChainMatch.newBuilder()
            .setDestinationPort(UInt32Value.of(8080))
            .addPrefixRanges(cidr("10.0.0.0", 8))
            .addServerNames("API.example.com")
            .setTransportProtocol("raw_buffer")
            .addApplicationProtocols("http/1.1")
            .addSourcePrefixRanges(cidr("192.168.0.0", 16))
            .addSourcePorts(4000)
            .build();
    Listener proto =
        Protos.listener("in", "a")
            .setFilterChains(
                0, FilterChain.newBuilder().setFilterChainMatch(match).addFilters(tcpProxy("a")))
            .build();

    FilterChainMatchConfig m =
        ListenerTranslator.translate(proto, PATH).filterChains().get(0).match();

    assertThat(m.destinationPort()).hasValue(8080);
    assertThat(m.prefixRanges()).extracting(Object::toString).containsExactly("10.0.0.0/8");
    assertThat(m.serverNames()).containsExactly("api.example.com");
    assertThat(m.transportProtocol()).contains(FilterChainMatchConfig.TransportProtocol.RAW_BUFFER);
    assertThat(m.applicationProtocols()).containsExactly("http/1.1");
    assertThat(m.sourcePrefixRanges())
        .extracting(Object::toString)
        .containsExactly("192.168.0.0/16");
    assertThat(m.sourcePorts()).containsExactly(4000);
  }

  @Test
  void refusesBadMatchValuesByPath() {
    Listener port = withMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(0)));
    Listener prefix =
        withMatch(FilterChainMatch.newBuilder().addPrefixRanges(cidr("10.0.0.0", 33)));
    Listener name = withMatch(FilterChainMatch.newBuilder().addPrefixRanges(cidr("svc.local", 8)));

    assertThatThrownBy(() -> ListenerTranslator.translate(port, PATH))
        .hasMessage(
            PATH + ".filter_chains[0].filter_chain_match.destination_port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> ListenerTranslator.translate(prefix, PATH))
        .hasMessageStartingWith(
            PATH + ".filter_chains[0].filter_chain_match.prefix_ranges[0].prefix_len: 33");
    assertThatThrownBy(() -> ListenerTranslator.translate(name, PATH))
        .hasMessageStartingWith(
            PATH + ".filter_chains[0].filter_chain_match.prefix_ranges[0].address_prefix:");
  }

  @Test
  void refusesUnknownDuplicateAndUntypedListenerFilters() {
    Listener unknown =
        Protos.listener("in", "a")
            .addListenerFilters(filter("proxy_protocol", TcpProxy.getDefaultInstance()))
            .build();
    Listener twice =
        Protos.listener("in", "a")
            .addListenerFilters(filter("a", OriginalDst.getDefaultInstance()))
            .addListenerFilters(filter("b", OriginalDst.getDefaultInstance()))
            .build();
    Listener untyped =
        Protos.listener("in", "a")
            .addListenerFilters(ListenerFilter.newBuilder().setName("tls_inspector"))
            .build();

    assertThatThrownBy(() -> ListenerTranslator.translate(unknown, PATH))
        .hasMessageStartingWith(
            PATH
                + ".listener_filters[0].typed_config: listener filter type"
                + " \"type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy\""
                + " not supported (supported:");
    assertThatThrownBy(() -> ListenerTranslator.translate(twice, PATH))
        .hasMessage(
            PATH
                + ".listener_filters[1]: envoy.extensions.filters.listener.original_dst.v3.OriginalDst"
                + " appears twice (expected: at most once)");
    assertThatThrownBy(() -> ListenerTranslator.translate(untyped, PATH))
        .hasMessage(PATH + ".listener_filters[0].typed_config: required");
  }

  @Test
  void aListenerMayHaveOnlyADefaultChainButNotNothing() throws Exception {
    Listener onlyDefault =
        Protos.listener("in", "a")
            .clearFilterChains()
            .setDefaultFilterChain(FilterChain.newBuilder().addFilters(tcpProxy("a")))
            .build();
    Listener nothing = Protos.listener("in", "a").clearFilterChains().build();

    assertThat(ListenerTranslator.translate(onlyDefault, PATH).firstFilterChain().filters())
        .hasSize(1);
    assertThatThrownBy(() -> ListenerTranslator.translate(nothing, PATH))
        .hasMessage(
            PATH + ".filter_chains: required (expected: at least one, or a default_filter_chain)");
  }

  private static Listener withMatch(FilterChainMatch.Builder match) {
    return Protos.listener("in", "a")
        .setFilterChains(
            0, FilterChain.newBuilder().setFilterChainMatch(match).addFilters(tcpProxy("a")))
        .build();
  }

  private static CidrRange cidr(String prefix, int length) {
    return CidrRange.newBuilder()
        .setAddressPrefix(prefix)
        .setPrefixLen(UInt32Value.of(length))
        .build();
  }

  private static io.envoyproxy.envoy.config.listener.v3.Filter tcpProxy(String cluster) {
    return Protos.tcpProxyFilter(cluster);
  }
}
