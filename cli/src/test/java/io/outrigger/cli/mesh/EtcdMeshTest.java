package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceFolder;
import io.outrigger.controlplane.resources.ResourceType;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan, members and layer-4 resources of {@code mesh up --store etcd}, without starting any.
 */
class EtcdMeshTest {
  @TempDir Path tmp;

  private MeshState threeMembers() {
    return InterceptMesh.plan(new MeshOptions(3, "cp", tmp, Duration.ofSeconds(1), true, "etcd"));
  }

  @Test
  void etcdNeedsInterceptionAndAKnownStoreName() {
    assertThatThrownBy(() -> new MeshOptions(3, "cp", tmp, Duration.ofSeconds(1), false, "etcd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--store etcd needs --intercept");
    assertThatThrownBy(() -> new MeshOptions(3, "cp", tmp, Duration.ofSeconds(1), true, "redis"))
        .hasMessage("--store: redis (expected: kvstore or etcd)");
  }

  @Test
  void everyMemberIsReachedAtItsNodesAddressOnEtcdsClientPort() {
    MeshState mesh = threeMembers();

    assertThat(mesh.etcd()).isTrue();
    assertThat(mesh.healthPath()).isEqualTo("/health");
    assertThat(mesh.nodes().get(2).storeUrl())
        .hasToString("http://" + mesh.network().subnet() + ".13:2379");
  }

  @Test
  void aMemberRunsUnchangedInItsNamespaceWithItsDataUnderTheMeshFolder() {
    MeshState mesh = threeMembers();
    MeshState.Node n2 = mesh.nodes().get(1);
    String subnet = mesh.network().subnet();

    List<String> cmd = EtcdMembers.command(mesh, n2);

    assertThat(cmd).containsSubsequence("netns", "exec", mesh.network().namespace("n2"));
    assertThat(cmd)
        .containsSubsequence("--name", "n2")
        .containsSubsequence("--data-dir", tmp.resolve("n2/etcd").toString())
        .containsSubsequence("--listen-peer-urls", "http://0.0.0.0:2380")
        .containsSubsequence("--initial-advertise-peer-urls", "http://" + subnet + ".12:2380")
        .containsSubsequence("--advertise-client-urls", "http://" + subnet + ".12:2379")
        .containsSubsequence(
            "--initial-cluster",
            "n1=http://%1$s.11:2380,n2=http://%1$s.12:2380,n3=http://%1$s.13:2380"
                .formatted(subnet));
  }

  @Test
  void everyMembersGroupIsAcceptedByTheControlPlaneAndHasNoRoutes() throws Exception {
    MeshState mesh = threeMembers();
    MeshFiles.write(mesh);

    Map<String, GroupSnapshot> groups =
        SnapshotBuilder.build(
            new ResourceFolder(MeshFiles.resources(mesh), Map.of()).load(), List.of(), true);

    assertThat(groups).containsKeys("n1", "n2", "n3");
    // Layer 4 only: the sidecars never subscribe to RDS (the control plane counts them SYNCED).
    assertThat(groups.get("n1").resources(ResourceType.ROUTE)).isEmpty();
    assertThat(groups.get("n1").resources(ResourceType.LISTENER))
        .containsOnlyKeys("inbound", "outbound");
  }

  @Test
  void peersGetMutualTlsOnBothPortsAndTheHostOnlyThePlaintextClientPort() {
    MeshState mesh = threeMembers();
    String n1 = EtcdResources.nodeResources(mesh, mesh.nodes().get(0));

    assertThat(n1)
        .contains("envoy.filters.listener.tls_inspector")
        .contains("name: mtls_2379", "name: mtls_2380")
        .contains("{ destination_port: 2380, transport_protocol: tls }")
        .contains("require_client_certificate: true")
        .contains(MeshFiles.spiffeId("n2"), MeshFiles.spiffeId("n3"))
        .contains("cluster: local_2380", "address: 127.0.0.1, port_value: 2380")
        .contains("name: plaintext_2379")
        .contains("address_prefix: " + mesh.network().hostAddress() + ", prefix_len: 32")
        .doesNotContain("plaintext_2380", "principal_name: { exact: \"" + MeshFiles.spiffeId("n1"));
  }

  @Test
  void eachPeerAndPortHasAnOutboundChainThatAPartitionCuts() {
    MeshState mesh = threeMembers();
    String n1 = EtcdResources.nodeResources(mesh, mesh.nodes().get(0));
    String n3 = mesh.nodes().get(2).address();

    String chain = n1.substring(n1.indexOf("- name: to_n3_2380"));
    chain = chain.substring(0, chain.indexOf("stat_prefix: to_n3_2380"));
    assertThat(chain)
        .contains("destination_port: 2380")
        .contains("prefix_ranges: [{ address_prefix: " + n3 + ", prefix_len: 32 }]")
        .contains("value: { peer: n3, rules: [] }");
    assertThat(chain.indexOf("outrigger.filters.network.partition"))
        .as("the partition filter comes before tcp_proxy")
        .isLessThan(chain.indexOf("envoy.filters.network.tcp_proxy"));
    assertThat(n1)
        .contains("stat_prefix: to_n3_2380\n        cluster: peer_n3_2380")
        .contains("name: to_n2_2379", "name: to_n2_2380", "name: to_n3_2379")
        .contains("address: " + n3 + ", port_value: 2380")
        .contains("UpstreamTlsContext", "exact: \"" + MeshFiles.spiffeId("n3") + "\"")
        .contains("cluster: PassthroughCluster")
        .doesNotContain("to_n1", "peer_n1")
        // Raft's streams idle between heartbeats (100 ms): tcp_proxy's default of 1 h stands.
        .doesNotContain("idle_timeout");
  }
}
