package io.outrigger.controlplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.outrigger.certs.MeshCa;
import io.outrigger.certs.SanNames;
import io.outrigger.controlplane.ManualClock;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSecretsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final MeshCa ca =
      MeshCa.create("mesh.local", Duration.ofDays(30), clock, new SecureRandom());
  private final NodeSecrets secrets = new NodeSecrets(ca, Duration.ofHours(24), clock);

  private static final Node WEB_1 = node("web-1", "web", Map.of());

  private static Node node(String id, String cluster, Map<String, String> metadata) {
    Struct.Builder md = Struct.newBuilder();
    metadata.forEach((k, v) -> md.putFields(k, Value.newBuilder().setStringValue(v).build()));
    return Node.newBuilder().setId(id).setCluster(cluster).setMetadata(md).build();
  }

  private Map<String, ?> served(Node node) {
    return secrets
        .cache()
        .getSnapshot(NodeSecrets.key(node))
        .resources(Resources.ResourceType.SECRET);
  }

  @Test
  void identityComesFromIstioMetadataThenFromTheNodeCluster() {
    assertThat(
            WorkloadIdentity.of(
                node("a", "web", Map.of("NAMESPACE", "shop", "SERVICE_ACCOUNT", "cart"))))
        .contains(new WorkloadIdentity("shop", "cart"));
    assertThat(WorkloadIdentity.of(node("a", "web", Map.of())))
        .contains(new WorkloadIdentity("default", "web"));
    assertThat(WorkloadIdentity.of(node("a", "", Map.of()))).isEmpty();
    assertThat(WorkloadIdentity.of(node("a", "web", Map.of("NAMESPACE", "a/b")))).isEmpty();
    assertThat(new WorkloadIdentity("shop", "cart").spiffeId("mesh.local").uri())
        .isEqualTo("spiffe://mesh.local/ns/shop/sa/cart");
  }

  @Test
  void servesEachNodeItsOwnCertificateAndTheRootCa() throws Exception {
    secrets.ensure(node("web-1", "web", Map.of()));
    secrets.ensure(node("web-2", "web", Map.of("SERVICE_ACCOUNT", "other")));

    assertThat(served(node("web-1", "web", Map.of())))
        .containsOnlyKeys(NodeSecrets.CERTIFICATE, NodeSecrets.ROOT_CA);
    assertThat(SanNames.uris(secrets.certificate("web-1").orElseThrow().certificate()))
        .containsExactly("spiffe://mesh.local/ns/default/sa/web");
    assertThat(SanNames.uris(secrets.certificate("web-2").orElseThrow().certificate()))
        .containsExactly("spiffe://mesh.local/ns/default/sa/other");
    Secret root = (Secret) served(node("web-1", "web", Map.of())).get(NodeSecrets.ROOT_CA);
    assertThat(root.getValidationContext().getTrustedCa().getInlineString())
        .isEqualTo(io.outrigger.certs.Pem.certificate(ca.certificate()));
  }

  @Test
  void aNodeWithoutIdentityGetsOnlyTheRootCa() {
    secrets.ensure(node("anon", "", Map.of()));

    assertThat(served(node("anon", "", Map.of()))).containsOnlyKeys(NodeSecrets.ROOT_CA);
    assertThat(secrets.certificate("anon")).isEmpty();
  }

  @Test
  void reissuesAtHalfTheTtlAsANewVersion() {
    secrets.ensure(node("web-1", "web", Map.of()));
    BigInteger first = secrets.certificate("web-1").orElseThrow().certificate().getSerialNumber();
    String v1 =
        secrets.cache().getSnapshot(NodeSecrets.key(WEB_1)).version(Resources.ResourceType.SECRET);

    clock.advance(Duration.ofHours(12).minusSeconds(1));
    assertThat(secrets.rotateDue()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(secrets.rotateDue()).isEqualTo(1);

    assertThat(secrets.certificate("web-1").orElseThrow().certificate().getSerialNumber())
        .isNotEqualTo(first);
    assertThat(
            secrets
                .cache()
                .getSnapshot(NodeSecrets.key(WEB_1))
                .version(Resources.ResourceType.SECRET))
        .isNotEqualTo(v1);
    secrets.ensure(node("web-1", "web", Map.of()));
    assertThat(secrets.rotateDue()).isZero();
  }

  @Test
  void aNodeThatLeftIsNoLongerRenewedAndGetsNewSecretsWhenItComesBack() {
    Node web = node("web-1", "web", Map.of());
    secrets.ensure(web);
    BigInteger first = secrets.certificate("web-1").orElseThrow().certificate().getSerialNumber();

    secrets.forget(NodeSecrets.key(web));
    clock.advance(Duration.ofHours(13));

    assertThat(secrets.rotateDue()).isZero();
    assertThat(secrets.nodes()).isEmpty();
    assertThat(secrets.certificate("web-1")).isEmpty();
    assertThat(secrets.cache().getSnapshot(NodeSecrets.key(WEB_1)))
        .isNull(); // no watch held it: dropped

    secrets.ensure(web);
    assertThat(secrets.nodes()).containsExactly("web-1");
    assertThat(secrets.certificate("web-1").orElseThrow().certificate().getSerialNumber())
        .isNotEqualTo(first);
  }
}
