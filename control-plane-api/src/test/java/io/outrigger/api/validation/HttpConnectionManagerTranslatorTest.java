package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.CodecType;
import io.outrigger.api.model.http.HeadersWithUnderscoresAction;
import io.outrigger.api.model.http.Http2ProtocolOptionsConfig;
import io.outrigger.api.model.http.HttpProtocolOptionsConfig;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.http.RouterFilterConfig;
import io.outrigger.api.model.http.UpgradeConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpConnectionManagerTranslatorTest {
  private static final String PATH = "hcm";
  private static final String LISTENER_HCM =
      "static_resources.listeners[0].filter_chains[0].filters[0].typed_config";

  @Test
  void fillsEnvoyDefaults() throws Exception {
    HttpConnectionManagerConfig config =
        HttpConnectionManagerTranslator.translate(
            "", HttpProtos.hcm(HttpProtos.route("/", "svc")).build(), PATH);

    assertThat(config.name()).isEqualTo(HttpConnectionManagerConfig.FILTER_NAME);
    assertThat(config.statPrefix()).isEqualTo("ingress_http");
    assertThat(config.codecType()).isEqualTo(CodecType.AUTO);
    assertThat(config.httpFilters())
        .containsExactly(new RouterFilterConfig("envoy.filters.http.router"));
    assertThat(config.commonHttpProtocolOptions()).isEqualTo(HttpProtocolOptionsConfig.DEFAULTS);
    assertThat(config.commonHttpProtocolOptions().idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.commonHttpProtocolOptions().maxHeadersCount()).isEqualTo(100);
    assertThat(config.commonHttpProtocolOptions().maxRequestsPerConnection()).isZero();
    assertThat(config.commonHttpProtocolOptions().headersWithUnderscoresAction())
        .isEqualTo(HeadersWithUnderscoresAction.ALLOW);
    assertThat(config.requestHeadersTimeout()).isEqualTo(Duration.ZERO);
    assertThat(config.maxRequestHeadersKb()).isEqualTo(60);
    assertThat(config.streamIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ZERO);
    assertThat(config.http2ProtocolOptions())
        .isEqualTo(new Http2ProtocolOptionsConfig(2147483647, 268435456, 268435456));
    assertThat(config.useRemoteAddress()).isFalse();
    assertThat(config.xffNumTrustedHops()).isZero();
    assertThat(config.generateRequestId()).isTrue();
    assertThat(config.serverName()).isEqualTo("outrigger");
    assertThat(config.upgradeConfigs()).isEmpty();
    assertThat(config.streamErrorOnInvalidHttpMessage()).isFalse();
    RouteSource.InlineRoutes inline = (RouteSource.InlineRoutes) config.routeSource();
    assertThat(inline.routeConfig().virtualHosts().get(0).routes().get(0).action())
        .isEqualTo(ClusterRoute.to("svc"));
  }

  @Test
  void readsOptionsAndUpgrades() throws Exception {
    HttpConnectionManager proto =
        HttpProtos.hcm(HttpProtos.route("/", "svc"))
            .setCodecType(HttpConnectionManager.CodecType.HTTP2)
            .setServerName("edge")
            .setUseRemoteAddress(BoolValue.of(true))
            .setXffNumTrustedHops(2)
            .setGenerateRequestId(BoolValue.of(false))
            .setStreamErrorOnInvalidHttpMessage(BoolValue.of(true))
            .setMaxRequestHeadersKb(UInt32Value.of(96))
            .setStreamIdleTimeout(Protos.seconds(0, 0))
            .setHttp2ProtocolOptions(
                Http2ProtocolOptions.newBuilder().setMaxConcurrentStreams(UInt32Value.of(100)))
            .addUpgradeConfigs(
                HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("WebSocket"))
            .build();

    HttpConnectionManagerConfig config =
        HttpConnectionManagerTranslator.translate("hcm", proto, PATH);

    assertThat(config.codecType()).isEqualTo(CodecType.HTTP2);
    assertThat(config.serverName()).isEqualTo("edge");
    assertThat(config.useRemoteAddress()).isTrue();
    assertThat(config.xffNumTrustedHops()).isEqualTo(2);
    assertThat(config.generateRequestId()).isFalse();
    assertThat(config.streamErrorOnInvalidHttpMessage()).isTrue();
    assertThat(config.maxRequestHeadersKb()).isEqualTo(96);
    assertThat(config.streamIdleTimeout()).isZero();
    assertThat(config.http2ProtocolOptions().maxConcurrentStreams()).isEqualTo(100);
    assertThat(config.upgradeConfigs()).containsExactly(new UpgradeConfig("websocket", true));
  }

  @Test
  void refusesUnknownHttpFilterTypeByUrl() {
    HttpConnectionManager proto =
        HttpProtos.hcm(HttpProtos.route("/", "svc"))
            .addHttpFilters(
                0,
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.fault")
                    .setTypedConfig(Any.pack(TcpProxy.getDefaultInstance())))
            .build();

    assertRefused(
        proto,
        "hcm.http_filters[0].typed_config: http filter type"
            + " \"type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy\""
            + " not supported (supported:"
            + " type.googleapis.com/envoy.extensions.filters.http.router.v3.Router,"
            + " type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault,"
            + " type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit,"
            + " type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC,"
            + " type.googleapis.com/xds.type.v3.TypedStruct of"
            + " type.googleapis.com/outrigger.filters.partition.v1.Partition)");
  }

  @Test
  void refusesRouterThatIsNotLast() {
    HttpConnectionManager proto =
        HttpProtos.hcm(HttpProtos.route("/", "svc")).addHttpFilters(HttpProtos.router()).build();

    assertRefused(
        proto,
        "hcm.http_filters[0]: the router is a terminal filter and must be the last http filter");
  }

  @Test
  void refusesMissingHttpFilters() {
    assertRefused(
        HttpProtos.hcm(HttpProtos.route("/", "svc")).clearHttpFilters().build(),
        "hcm.http_filters: required (expected: the router filter last)");
  }

  @Test
  void refusesMaxRequestHeadersKbOutOfRange() {
    assertRefused(
        HttpProtos.hcm(HttpProtos.route("/", "svc"))
            .setMaxRequestHeadersKb(UInt32Value.of(8193))
            .build(),
        "hcm.max_request_headers_kb: 8193 (expected: 1..8192)");
  }

  @Test
  void refusesHttp2WindowBelowTheProtocolMinimum() {
    assertRefused(
        HttpProtos.hcm(HttpProtos.route("/", "svc"))
            .setHttp2ProtocolOptions(
                Http2ProtocolOptions.newBuilder().setInitialStreamWindowSize(UInt32Value.of(1024)))
            .build(),
        "hcm.http2_protocol_options.initial_stream_window_size: 1024 (expected: 65535..2147483647)");
  }

  @Test
  void refusesUnsupportedFieldsByName() {
    assertRefused(
        HttpProtos.hcm(HttpProtos.route("/", "svc")).setVia("outrigger").build(),
        "hcm.via: " + SupportedFieldsCheck.NOT_SUPPORTED);
  }

  @Test
  void keepsRdsNameButAStaticBootstrapRefusesIt() throws Exception {
    HttpConnectionManager proto =
        HttpProtos.hcm().setRds(Rds.newBuilder().setRouteConfigName("routes")).build();
    assertThat(HttpConnectionManagerTranslator.translate("", proto, PATH).routeSource())
        .isEqualTo(new RouteSource.Rds("routes"));

    assertThatThrownBy(() -> BootstrapTranslator.translate(bootstrap(proto)))
        .hasMessage(
            LISTENER_HCM
                + ".rds: not supported in a static bootstrap (there is no route discovery yet);"
                + " write the routes inline in route_config");
  }

  @Test
  void refusesRouteToUnknownClusterInStaticBootstrap() {
    HttpConnectionManager proto =
        HttpProtos.hcm(HttpProtos.route("/api", "api"), HttpProtos.route("/", "nowhere")).build();

    assertThatThrownBy(() -> BootstrapTranslator.translate(bootstrap(proto)))
        .hasMessage(
            LISTENER_HCM
                + ".route_config.virtual_hosts[0].routes[1].route.cluster: unknown cluster"
                + " \"nowhere\"");
  }

  @Test
  void acceptsRoutesToStaticClustersAndClusterHeaderRoutes() throws Exception {
    HttpConnectionManager proto =
        HttpProtos.hcm(
                HttpProtos.route("/api", "api"),
                HttpProtos.route("/", "x")
                    .setRoute(
                        io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                            .setClusterHeader("x-cluster")))
            .build();

    assertThat(BootstrapTranslator.translate(bootstrap(proto)).listeners()).hasSize(1);
  }

  private static Bootstrap bootstrap(HttpConnectionManager hcm) {
    return Bootstrap.newBuilder()
        .setStaticResources(
            Bootstrap.StaticResources.newBuilder()
                .addListeners(HttpProtos.listener(hcm))
                .addClusters(Protos.cluster("api", "127.0.0.1")))
        .build();
  }

  private static void assertRefused(HttpConnectionManager proto, String message) {
    assertThatThrownBy(() -> HttpConnectionManagerTranslator.translate("", proto, PATH))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void rdsAcceptsOnlyTheAggregatedConfigSource() throws Exception {
    HttpConnectionManager ads = XdsProtos.rdsHcm("routes");
    HttpConnectionManager path =
        ads.toBuilder()
            .setRds(
                ads.getRds().toBuilder()
                    .setConfigSource(
                        io.envoyproxy.envoy.config.core.v3.ConfigSource.newBuilder()
                            .setPath("/etc/routes.yaml")))
            .build();

    assertThat(HttpConnectionManagerTranslator.translate("", ads, "tc").routeSource())
        .isEqualTo(new RouteSource.Rds("routes"));
    assertThatThrownBy(() -> HttpConnectionManagerTranslator.translate("", path, "tc"))
        .hasMessage(
            "tc.rds.config_source.path: field not supported by Outrigger (see"
                + " docs/configuration.md)");
  }
}
