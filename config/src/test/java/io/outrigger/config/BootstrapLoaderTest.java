package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DiscoveryType;
import io.outrigger.api.model.DnsLookupFamily;
import io.outrigger.api.model.EndpointConfig;
import io.outrigger.api.model.LbPolicy;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.NodeConfig;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.api.validation.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapLoaderTest {
  private static final String SOURCE = "sidecar.yaml";

  /** A valid bootstrap; line numbers in the tests below count from its first line. */
  private static final String VALID =
      """
      static_resources:
        listeners:
        - name: ingress
          address:
            socket_address: { address: 127.0.0.1, port_value: 10000 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.tcp_proxy
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                stat_prefix: ingress_tcp
                cluster: backend
        clusters:
        - name: backend
          connect_timeout: 1s
          load_assignment:
            cluster_name: backend
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: 8080 }
      """;

  @Test
  void readsEnvoyDocumentationTcpProxyWithDefaultsFilled() throws Exception {
    LoadedBootstrap loaded = BootstrapLoader.load(resource("bootstrap/tcp-proxy.yaml"), Map.of());

    BootstrapConfig config = loaded.config();
    assertThat(config.node()).isEqualTo(NodeConfig.EMPTY);
    assertThat(config.admin().orElseThrow().address())
        .isEqualTo(new SocketAddressConfig("127.0.0.1", 9901));
    TcpProxyConfig tcpProxy =
        new TcpProxyConfig(
            "envoy.filters.network.tcp_proxy",
            "destination",
            "service_backend",
            Duration.ofHours(1),
            1);
    assertThat(config.listeners())
        .containsExactly(
            new ListenerConfig(
                "listener_0",
                new SocketAddressConfig("127.0.0.1", 10000),
                List.of(new io.outrigger.api.model.FilterChainConfig("", List.of(tcpProxy))),
                1024 * 1024));
    assertThat(config.clusters())
        .containsExactly(
            new ClusterConfig(
                "service_backend",
                DiscoveryType.STATIC,
                Duration.ofMillis(250),
                LbPolicy.ROUND_ROBIN,
                List.of(
                    new EndpointConfig(new SocketAddressConfig("127.0.0.1", 8080), 1),
                    new EndpointConfig(new SocketAddressConfig("127.0.0.2", 8080), 3)),
                DnsLookupFamily.AUTO,
                Duration.ofSeconds(5),
                1024 * 1024));
    assertThat(loaded.source()).endsWith("tcp-proxy.yaml");
    assertThat(loaded.proto().getStaticResources().getClusters(0).getConnectTimeout().getNanos())
        .isEqualTo(250_000_000);
  }

  @Test
  void loadsTheExampleOfDocsConfigurationMd() throws Exception {
    BootstrapConfig config =
        BootstrapLoader.load(resource("bootstrap/docs-example.yaml"), Map.of()).config();

    assertThat(config.clusters().get(0).endpoints())
        .containsExactly(new EndpointConfig(new SocketAddressConfig("127.0.0.1", 8080), 1));
  }

  @Test
  void acceptsLowerCamelJsonNames() throws Exception {
    String yaml =
        VALID.replace("connect_timeout", "connectTimeout").replace("port_value", "portValue");

    BootstrapConfig config = load(yaml).config();

    assertThat(config.clusters().get(0).connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.listeners().get(0).address().port()).isEqualTo(10000);
  }

  @Test
  void acceptsDurationAsSecondsAndNanosMapping() throws Exception {
    String yaml =
        VALID.replace("connect_timeout: 1s", "connect_timeout: { seconds: 1, nanos: 500000000 }");

    assertThat(load(yaml).config().clusters().get(0).connectTimeout())
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void acceptsAnchorsAndMergeKeys() throws Exception {
    String yaml =
        VALID.replace(
                "  - name: backend\n    connect_timeout: 1s\n",
                "  - &base\n    name: backend\n    connect_timeout: 1s\n")
            + "  - <<: *base\n    name: backend_copy\n    connect_timeout: 2s\n";

    List<ClusterConfig> clusters = load(yaml).config().clusters();

    assertThat(clusters).extracting(ClusterConfig::name).containsExactly("backend", "backend_copy");
    assertThat(clusters.get(1).connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(clusters.get(1).endpoints()).isEqualTo(clusters.get(0).endpoints());
  }

  @Test
  void substitutesEnvironmentVariablesWithDefaultsAndDollarEscape() throws Exception {
    Map<String, String> env =
        Map.of("NODE_ID", "sidecar-1", "LISTEN_PORT", "15001", "APP_PORT", "8080");

    LoadedBootstrap loaded = BootstrapLoader.load(resource("bootstrap/env.yaml"), env);

    BootstrapConfig config = loaded.config();
    assertThat(config.node()).isEqualTo(new NodeConfig("sidecar-1", "kvstore"));
    assertThat(config.listeners().get(0).address())
        .isEqualTo(new SocketAddressConfig("0.0.0.0", 15001));
    assertThat(
            ((TcpProxyConfig) config.listeners().get(0).firstFilterChain().terminalFilter())
                .statPrefix())
        .isEqualTo("price$tag");
    assertThat(config.clusters().get(0).endpoints().get(0).address().port()).isEqualTo(8080);
    assertThat(loaded.proto().getNode().getId()).isEqualTo("sidecar-1");
  }

  @Test
  void refusesUnsetVariableWithoutDefaultNamingFieldAndVariable() {
    Map<String, String> env = Map.of("NODE_ID", "sidecar-1", "APP_PORT", "8080");

    assertThatThrownBy(() -> BootstrapLoader.load(resource("bootstrap/env.yaml"), env))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith(
            "env.yaml: line 8: static_resources.listeners[0].address.socket_address.port_value:"
                + " environment variable \"LISTEN_PORT\" is not set (and no default: ${LISTEN_PORT:-...})");
  }

  @Test
  void refusesMisspelledFieldSuggestingTheRightOne() {
    assertRefused(
        VALID.replace("connect_timeout", "conect_timeout"),
        "sidecar.yaml: line 15: static_resources.clusters[0].conect_timeout: unknown field of"
            + " envoy.config.cluster.v3.Cluster (did you mean \"connect_timeout\"?)");
  }

  @Test
  void refusesInvalidDuration() {
    assertRefused(
        VALID.replace("connect_timeout: 1s", "connect_timeout: 5x"),
        "sidecar.yaml: line 15: static_resources.clusters[0].connect_timeout: invalid duration \"5x\"");
  }

  @Test
  void refusesUnknownEnumValueListingTheValidOnes() {
    assertRefused(
        VALID.replace("connect_timeout: 1s", "type: STATICK"),
        "sidecar.yaml: line 15: static_resources.clusters[0].type: invalid value \"STATICK\" for"
            + " envoy.config.cluster.v3.Cluster.DiscoveryType (expected one of: STATIC, STRICT_DNS,"
            + " LOGICAL_DNS, EDS, ORIGINAL_DST)");
  }

  @Test
  void refusesNumberThatIsNotANumber() {
    assertRefused(
        VALID.replace("port_value: 10000", "port_value: ten"),
        "sidecar.yaml: line 5: static_resources.listeners[0].address.socket_address.port_value:"
            + " invalid uint32 \"ten\"");
  }

  @Test
  void refusesPortOutOfRangeWithItsLine() {
    assertRefused(
        VALID.replace("port_value: 10000", "port_value: 70000"),
        "sidecar.yaml: line 5: static_resources.listeners[0].address.socket_address.port_value:"
            + " 70000 (expected: 0..65535)");
  }

  @Test
  void refusesUnsupportedTopLevelFieldByName() {
    assertRefused(
        VALID + "hds_config:\n  api_type: GRPC\n",
        "sidecar.yaml: line 23: hds_config: field not supported by Outrigger (see"
            + " docs/configuration.md)");
  }

  @Test
  void refusesUnsupportedClusterFieldByName() {
    assertRefused(
        VALID.replace(
            "connect_timeout: 1s",
            "connect_timeout: 1s\n    upstream_connection_options: { tcp_keepalive: {} }"),
        "sidecar.yaml: line 16: static_resources.clusters[0].upstream_connection_options: field not"
            + " supported"
            + " by Outrigger (see docs/configuration.md)");
  }

  @Test
  void refusesUnsupportedFilterChainMatchFieldsByName() {
    assertRefused(
        VALID.replace("- filters:", "- filter_chain_match: { address_suffix: x }\n      filters:"),
        "sidecar.yaml: line 7:"
            + " static_resources.listeners[0].filter_chains[0].filter_chain_match.address_suffix:"
            + " field not supported by Outrigger (see docs/configuration.md)");
  }

  @Test
  void refusesUnknownTypedConfigType() {
    assertRefused(
        VALID.replace("tcp_proxy.v3.TcpProxy", "tcp_proxy.v3.TcpProxi"),
        "sidecar.yaml: line 10: static_resources.listeners[0].filter_chains[0].filters[0].typed_config:"
            + " unknown type \"type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxi\"");
  }

  @Test
  void refusesKnownButUnsupportedFilterTypeNamingIt() {
    String yaml =
        VALID
            .replace("network.tcp_proxy.v3.TcpProxy", "http.router.v3.Router")
            .replace("\n          stat_prefix: ingress_tcp", "")
            .replace("\n          cluster: backend", "");

    assertRefused(
        yaml,
        "sidecar.yaml: line 9: static_resources.listeners[0].filter_chains[0].filters[0].typed_config:"
            + " filter type \"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\""
            + " not supported (supported:"
            + " type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy,"
            + " type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager,"
            + " type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC,"
            + " type.googleapis.com/envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit,"
            + " type.googleapis.com/xds.type.v3.TypedStruct of"
            + " type.googleapis.com/outrigger.filters.network.partition.v1.Partition)");
  }

  @Test
  void refusesDuplicateClusterNameAtTheSecondOccurrence() {
    String yaml = VALID + "  - name: backend\n";

    assertRefused(
        yaml,
        "sidecar.yaml: line 23: static_resources.clusters[1].name: duplicate cluster name"
            + " \"backend\" (first at static_resources.clusters[0])");
  }

  @Test
  void refusesUnknownClusterInTcpProxy() {
    assertRefused(
        VALID.replace("cluster: backend", "cluster: foo"),
        "sidecar.yaml: line 12: static_resources.listeners[0].filter_chains[0].filters[0].typed_config.cluster:"
            + " unknown cluster \"foo\"");
  }

  @Test
  void refusesHostnameInStaticCluster() {
    assertRefused(
        VALID.replace(
            "address: 127.0.0.1, port_value: 8080", "address: backend.local, port_value: 8080"),
        "sidecar.yaml: line 22: static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0]"
            + ".endpoint.address.socket_address.address: \"backend.local\" is not an IP address (a"
            + " STATIC cluster takes IP addresses; use STRICT_DNS or LOGICAL_DNS for host names)");
  }

  @Test
  void refusesDuplicateYamlKeys() {
    assertRefused(
        VALID.replace("connect_timeout: 1s", "connect_timeout: 1s\n    connect_timeout: 2s"),
        "sidecar.yaml: line 16: static_resources.clusters[0].connect_timeout: duplicate key"
            + " \"connect_timeout\" (first at line 15)");
  }

  @Test
  void refusesYamlSyntaxErrorWithItsLine() {
    assertRefused(
        "static_resources:\n  clusters:\n  - name: a\n    connect_timeout: [1s\n",
        "sidecar.yaml: line 5: invalid YAML: expected ',' or ']', but got <stream end>");
  }

  @Test
  void refusesEmptyFile() {
    assertRefused(
        "# nothing here\n",
        "sidecar.yaml: empty document (expected: a YAML mapping with the bootstrap)");
  }

  @Test
  void refusesTopLevelThatIsNotAMapping() {
    assertRefused(
        "just some text\n",
        "sidecar.yaml: line 1: expected a mapping at the top level (a YAML bootstrap), got a scalar");
  }

  @Test
  void refusesMoreThanOneDocument() {
    assertRefused(
        VALID + "---\nadmin: {}\n",
        "sidecar.yaml: line 24: more than one YAML document (expected: one bootstrap document)");
  }

  @Test
  void namesTheFileAsGivenWhenItIsMissingOrNotText(@TempDir Path dir) throws Exception {
    Path binary = dir.resolve("binary.yaml");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    assertThatThrownBy(() -> BootstrapLoader.load(dir.resolve("missing.yaml"), Map.of()))
        .hasMessage(dir.resolve("missing.yaml") + ": no such file");
    assertThatThrownBy(() -> BootstrapLoader.load(binary, Map.of()))
        .hasMessage(binary + ": not UTF-8 text (expected: a YAML file)");
  }

  private static LoadedBootstrap load(String yaml) throws ConfigException {
    return BootstrapLoader.load(yaml, SOURCE, Map.of());
  }

  private static void assertRefused(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(BootstrapLoaderTest.class.getClassLoader().getResource(name).toURI());
  }
}
