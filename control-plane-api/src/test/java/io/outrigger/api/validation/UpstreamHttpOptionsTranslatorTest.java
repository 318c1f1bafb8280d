package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http3ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;
import io.outrigger.api.model.UpstreamHttpOptions;
import io.outrigger.api.model.UpstreamHttpOptions.Protocol;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamHttpOptionsTranslatorTest {
  private static final String PATH = "static_resources.clusters[0]";
  private static final String KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final String OPTIONS = PATH + ".typed_extension_protocol_options[\"" + KEY + "\"]";
  private static final String NOT_SUPPORTED =
      "field not supported by Outrigger (see docs/configuration.md)";

  private static final ExplicitHttpConfig HTTP2 =
      ExplicitHttpConfig.newBuilder()
          .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())
          .build();

  private static Cluster.Builder cluster(HttpProtocolOptions options) {
    return Protos.cluster("b", "10.0.0.1").putTypedExtensionProtocolOptions(KEY, Any.pack(options));
  }

  private static UpstreamHttpOptions translate(Cluster.Builder proto) throws ConfigException {
    return ClusterTranslator.translate(proto.build(), PATH).upstreamHttpOptions();
  }

  private static void assertRefused(Cluster.Builder proto, String message) {
    assertThatThrownBy(() -> translate(proto))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void defaultsToHttp1WithEnvoyDefaults() throws Exception {
    UpstreamHttpOptions options = translate(Protos.cluster("b", "10.0.0.1"));

    assertThat(options).isEqualTo(UpstreamHttpOptions.DEFAULT);
    assertThat(options.protocol()).isEqualTo(Protocol.HTTP1);
    assertThat(options.idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(options.maxRequestsPerConnection()).isZero();
    assertThat(options.limitsRequestsPerConnection()).isFalse();
    assertThat(options.maxConnectionDuration()).isEmpty();
    assertThat(options.maxConcurrentStreams()).isEqualTo(Integer.MAX_VALUE);
    assertThat(options.initialStreamWindowSize()).isEqualTo(268_435_456);
    assertThat(options.initialConnectionWindowSize()).isEqualTo(268_435_456);
  }

  @Test
  void readsExplicitHttp2WithItsLimitsAndCommonOptions() throws Exception {
    HttpProtocolOptions proto =
        HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(
                ExplicitHttpConfig.newBuilder()
                    .setHttp2ProtocolOptions(
                        Http2ProtocolOptions.newBuilder()
                            .setMaxConcurrentStreams(UInt32Value.of(100))
                            .setInitialStreamWindowSize(UInt32Value.of(65535))
                            .setInitialConnectionWindowSize(UInt32Value.of(1 << 20))))
            .setCommonHttpProtocolOptions(
                io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                    .setIdleTimeout(Protos.seconds(0, 0))
                    .setMaxRequestsPerConnection(UInt32Value.of(-1))
                    .setMaxConnectionDuration(Protos.seconds(600, 0)))
            .build();

    assertThat(translate(cluster(proto)))
        .isEqualTo(
            new UpstreamHttpOptions(
                Protocol.HTTP2,
                Duration.ZERO,
                4_294_967_295L,
                Optional.of(Duration.ofMinutes(10)),
                100,
                65535,
                1 << 20));
  }

  @Test
  void readsExplicitHttp1() throws Exception {
    HttpProtocolOptions proto =
        HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(
                ExplicitHttpConfig.newBuilder()
                    .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()))
            .build();

    assertThat(translate(cluster(proto))).isEqualTo(UpstreamHttpOptions.DEFAULT);
  }

  @Test
  void refusesAutoAndDownstreamProtocolConfig() {
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setAutoConfig(HttpProtocolOptions.AutoHttpConfig.getDefaultInstance())
                .build()),
        OPTIONS
            + ".auto_config: not supported yet: choosing the protocol by ALPN comes with upstream"
            + " TLS (expected: explicit_http_config)");
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setUseDownstreamProtocolConfig(
                    HttpProtocolOptions.UseDownstreamHttpConfig.getDefaultInstance())
                .build()),
        OPTIONS
            + ".use_downstream_protocol_config: not supported yet (expected:"
            + " explicit_http_config)");
  }

  @Test
  void refusesMissingProtocolChoices() {
    assertRefused(
        cluster(HttpProtocolOptions.getDefaultInstance()),
        OPTIONS
            + ".explicit_http_config: required (Envoy requires one of explicit_http_config,"
            + " use_downstream_protocol_config or auto_config; Outrigger supports"
            + " explicit_http_config)");
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(ExplicitHttpConfig.getDefaultInstance())
                .build()),
        OPTIONS
            + ".explicit_http_config: one of http_protocol_options (HTTP/1.1) or"
            + " http2_protocol_options (HTTP/2) is required");
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(
                    ExplicitHttpConfig.newBuilder()
                        .setHttp3ProtocolOptions(Http3ProtocolOptions.getDefaultInstance()))
                .build()),
        OPTIONS
            + ".explicit_http_config.http3_protocol_options: HTTP/3 not supported (expected:"
            + " http_protocol_options or http2_protocol_options)");
  }

  @Test
  void refusesUnsupportedFieldsInsideTheOptions() {
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(
                    ExplicitHttpConfig.newBuilder()
                        .setHttp2ProtocolOptions(
                            Http2ProtocolOptions.newBuilder().setAllowConnect(true)))
                .build()),
        OPTIONS + ".explicit_http_config.http2_protocol_options.allow_connect: " + NOT_SUPPORTED);
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(
                    ExplicitHttpConfig.newBuilder()
                        .setHttpProtocolOptions(
                            Http1ProtocolOptions.newBuilder().setEnableTrailers(true)))
                .build()),
        OPTIONS + ".explicit_http_config.http_protocol_options.enable_trailers: " + NOT_SUPPORTED);
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(HTTP2)
                .setCommonHttpProtocolOptions(
                    io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setMaxStreamDuration(Protos.seconds(1, 0)))
                .build()),
        OPTIONS + ".common_http_protocol_options.max_stream_duration: " + NOT_SUPPORTED);
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(HTTP2)
                .setUpstreamHttpProtocolOptions(
                    io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions
                        .getDefaultInstance())
                .build()),
        OPTIONS + ".upstream_http_protocol_options: " + NOT_SUPPORTED);
  }

  @Test
  void refusesValuesOutOfRange() {
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(
                    ExplicitHttpConfig.newBuilder()
                        .setHttp2ProtocolOptions(
                            Http2ProtocolOptions.newBuilder()
                                .setInitialStreamWindowSize(UInt32Value.of(1024))))
                .build()),
        OPTIONS
            + ".explicit_http_config.http2_protocol_options.initial_stream_window_size: 1024"
            + " (expected: 65535..2147483647)");
    assertRefused(
        cluster(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(HTTP2)
                .setCommonHttpProtocolOptions(
                    io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setMaxConnectionDuration(Protos.seconds(0, 0)))
                .build()),
        OPTIONS
            + ".common_http_protocol_options.max_connection_duration: 0s (expected: > 0s; leave it"
            + " unset for no limit)");
  }

  @Test
  void refusesOtherKeysAndTypes() {
    assertRefused(
        Protos.cluster("b", "10.0.0.1")
            .putTypedExtensionProtocolOptions(
                "envoy.filters.network.thrift_proxy",
                Any.pack(HttpProtocolOptions.getDefaultInstance())),
        PATH
            + ".typed_extension_protocol_options[\"envoy.filters.network.thrift_proxy\"]: not"
            + " supported (expected: the key envoy.extensions.upstreams.http.v3.HttpProtocolOptions)");
    assertRefused(
        Protos.cluster("b", "10.0.0.1")
            .putTypedExtensionProtocolOptions(
                KEY, Any.pack(Http2ProtocolOptions.getDefaultInstance())),
        OPTIONS
            + ": type type.googleapis.com/envoy.config.core.v3.Http2ProtocolOptions not supported"
            + " (expected: type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions)");
  }

  @Test
  void refusesDeprecatedClusterLevelProtocolOptionsPointingToTheirReplacement() {
    assertRefused(
        Protos.cluster("b", "10.0.0.1")
            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()),
        PATH
            + ".http2_protocol_options: deprecated by Envoy and not supported (write it as"
            + " typed_extension_protocol_options[\""
            + KEY
            + "\"].explicit_http_config.http2_protocol_options)");
    assertRefused(
        Protos.cluster("b", "10.0.0.1")
            .setCommonHttpProtocolOptions(
                io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.getDefaultInstance()),
        PATH
            + ".common_http_protocol_options: deprecated by Envoy and not supported (write it as"
            + " typed_extension_protocol_options[\""
            + KEY
            + "\"].common_http_protocol_options)");
  }
}
