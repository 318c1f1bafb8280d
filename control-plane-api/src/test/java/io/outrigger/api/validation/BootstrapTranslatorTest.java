package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.model.NodeConfig;
import io.outrigger.api.model.SocketAddressConfig;
import org.junit.jupiter.api.Test;

class BootstrapTranslatorTest {
  private static Bootstrap.Builder bootstrap() {
    Bootstrap.Builder b = Bootstrap.newBuilder();
    b.getStaticResourcesBuilder()
        .addListeners(Protos.listener("in", "backend"))
        .addClusters(Protos.cluster("backend", "127.0.0.1"));
    return b;
  }

  @Test
  void translatesNodeAdminListenersAndClusters() throws Exception {
    Bootstrap proto =
        bootstrap()
            .setNode(
                Node.newBuilder()
                    .setId("n1")
                    .setCluster("kv")
                    .setMetadata(Struct.getDefaultInstance()))
            .setAdmin(
                Admin.newBuilder()
                    .setAddress(Protos.address("127.0.0.1", 9901))
                    .setAccessLogPath("/dev/null"))
            .build();

    BootstrapConfig config = BootstrapTranslator.translate(proto);

    assertThat(config.node()).isEqualTo(new NodeConfig("n1", "kv"));
    assertThat(config.admin().orElseThrow().address())
        .isEqualTo(new SocketAddressConfig("127.0.0.1", 9901));
    assertThat(config.listeners()).hasSize(1);
    assertThat(config.clusters()).hasSize(1);
  }

  @Test
  void emptyBootstrapHasNoAdminAndNoResources() throws Exception {
    BootstrapConfig config = BootstrapTranslator.translate(Bootstrap.getDefaultInstance());

    assertThat(config.node()).isEqualTo(NodeConfig.EMPTY);
    assertThat(config.admin()).isEmpty();
    assertThat(config.listeners()).isEmpty();
  }

  @Test
  void refusesHdsByNameAndSecretsWithoutATypeOrTwiceTheSameName() {
    Bootstrap.Builder hds = bootstrap();
    hds.getHdsConfigBuilder().setApiType(ApiConfigSource.ApiType.GRPC);
    Bootstrap.Builder untyped = bootstrap();
    untyped.getStaticResourcesBuilder().addSecrets(Secret.newBuilder().setName("s"));
    Bootstrap.Builder twice = bootstrap();
    Secret ca =
        Secret.newBuilder()
            .setName("ca")
            .setValidationContext(
                io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext
                    .newBuilder()
                    .setTrustedCa(
                        io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder()
                            .setFilename("/ca.pem")))
            .build();
    twice.getStaticResourcesBuilder().addSecrets(ca).addSecrets(ca);

    assertThatThrownBy(() -> BootstrapTranslator.translate(hds.build()))
        .hasMessage("hds_config: " + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(() -> BootstrapTranslator.translate(untyped.build()))
        .hasMessage(
            "static_resources.secrets[0]: one of tls_certificate or validation_context required");
    assertThatThrownBy(() -> BootstrapTranslator.translate(twice.build()))
        .hasMessage(
            "static_resources.secrets[1].name: duplicate secret name \"ca\" (first at"
                + " static_resources.secrets[0])");
  }

  @Test
  void refusesAdminAccessLogOtherThanDevNull() {
    Bootstrap proto =
        bootstrap().setAdmin(Admin.newBuilder().setAccessLogPath("/tmp/admin.log")).build();

    assertThatThrownBy(() -> BootstrapTranslator.translate(proto))
        .hasMessage(
            "admin.access_log_path: \"/tmp/admin.log\" not supported (expected: \"/dev/null\"; admin"
                + " access logging does not exist yet)");
  }

  @Test
  void refusesDuplicateListenerNameAtTheSecondOccurrence() {
    Bootstrap.Builder proto = bootstrap();
    proto.getStaticResourcesBuilder().addListeners(Protos.listener("in", "backend"));

    assertThatThrownBy(() -> BootstrapTranslator.translate(proto.build()))
        .hasMessage(
            "static_resources.listeners[1].name: duplicate listener name \"in\" (first at"
                + " static_resources.listeners[0])");
  }

  @Test
  void refusesDuplicateClusterName() {
    Bootstrap.Builder proto = bootstrap();
    proto.getStaticResourcesBuilder().addClusters(Protos.cluster("backend"));

    assertThatThrownBy(() -> BootstrapTranslator.translate(proto.build()))
        .hasMessage(
            "static_resources.clusters[1].name: duplicate cluster name \"backend\" (first at"
                + " static_resources.clusters[0])");
  }

  @Test
  void refusesTcpProxyToUnknownCluster() {
    Bootstrap.Builder proto = bootstrap();
    proto.getStaticResourcesBuilder().addListeners(Protos.listener("other", "foo"));

    assertThatThrownBy(() -> BootstrapTranslator.translate(proto.build()))
        .hasMessage(
            "static_resources.listeners[1].filter_chains[0].filters[0].typed_config.cluster: unknown"
                + " cluster \"foo\"");
  }
}
