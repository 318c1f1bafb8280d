package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.config.BootstrapLoader;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceFolder;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterceptMeshTest {
  @TempDir Path tmp;

  private MeshState threeNodes() {
    return InterceptMesh.plan(new MeshOptions(3, "cp", tmp, Duration.ofSeconds(1), true));
  }

  @Test
  void everyNodeHasItsOwnAddressAndTheSamePortsAsInAPod() {
    MeshState mesh = threeNodes();
    String subnet = mesh.network().subnet();

    assertThat(mesh.intercepted()).isTrue();
    assertThat(mesh.nodes())
        .extracting(MeshState.Node::address)
        .containsExactly(subnet + ".11", subnet + ".12", subnet + ".13");
    assertThat(mesh.network().hostAddress()).isEqualTo(subnet + ".1");
    assertThat(mesh.nodes().get(1).storeUrl()).hasToString("http://" + subnet + ".12:8080");
    assertThat(mesh.nodes().get(1).adminUrl()).hasToString("http://" + subnet + ".12:15000");
  }

  @Test
  void namesFitLinuxInterfaceNamesAndDifferByFolder() {
    MeshNetwork a = MeshNetwork.plan(tmp.resolve("a"), List.of("n1", "n9"));
    MeshNetwork b = MeshNetwork.plan(tmp.resolve("b"), List.of("n1", "n9"));

    assertThat(a.id()).isNotEqualTo(b.id()).hasSize(4);
    assertThat(a.bridge().length()).isLessThanOrEqualTo(15);
    assertThat(("or" + a.id() + "n9").length()).isLessThanOrEqualTo(15);
    assertThat(a.namespace("n9")).isEqualTo("outrigger-" + a.id() + "-n9");
    assertThat(a.sidecarInNamespace("n1"))
        .containsSubsequence("netns", "exec", a.namespace("n1"))
        .contains("--regid=" + MeshNetwork.PROXY_GID);
  }

  @Test
  void aSubnetInUseOnThisHostIsSkipped() {
    MeshNetwork free = MeshNetwork.plan(tmp.resolve("a"), List.of("n1"), java.util.Set.of());
    int taken = Integer.parseInt(free.subnet().substring("10.213.".length()));

    MeshNetwork next =
        MeshNetwork.plan(
            tmp.resolve("a"), List.of("n1"), java.util.Set.of(taken, (taken + 1) & 0xff));

    assertThat(next.subnet()).isEqualTo("10.213." + ((taken + 2) & 0xff));
    assertThat(next.id()).isEqualTo(free.id());
  }

  @Test
  void theStateIsFoundAgainWithItsNetwork() throws Exception {
    MeshState mesh = threeNodes();
    Files.createDirectories(mesh.path());
    mesh.save();

    MeshState loaded = MeshState.load(mesh.path()).orElseThrow();

    assertThat(loaded.network()).isEqualTo(mesh.network());
    assertThat(loaded.nodes().get(2).address()).isEqualTo(mesh.nodes().get(2).address());
    assertThat(loaded.withNode(loaded.nodes().get(0)).network()).isEqualTo(mesh.network());
  }

  @Test
  void everyNodeGroupIsAcceptedWholeByTheControlPlanesValidation() throws Exception {
    MeshState mesh = threeNodes();
    MeshFiles.write(mesh);

    Map<String, GroupSnapshot> groups =
        SnapshotBuilder.build(
            new ResourceFolder(MeshFiles.resources(mesh), Map.of()).load(), List.of(), true);

    assertThat(groups).containsKeys("n1", "n2", "n3");
  }

  @Test
  void theOutboundListenerChoosesAPeerByTheAddressTheReplicaDialled() {
    MeshState mesh = threeNodes();
    String n1 = InterceptResources.nodeResources(mesh, mesh.nodes().get(0));
    String n2 = mesh.nodes().get(1).address();

    assertThat(n1)
        .contains("envoy.filters.listener.original_dst")
        .contains("name: to_n2", "destination_port: 8080")
        .contains("prefix_ranges: [{ address_prefix: " + n2 + ", prefix_len: 32 }]")
        .contains("value: { peer: n2, rules: [] }")
        .contains("outrigger.filters.network.partition.v1.Partition")
        .contains("route_config_name: outbound_n2", "cluster: peer_n2")
        // the peer's sidecar is reached at the peer's own address, and its rules take it inbound
        .contains("address: " + n2 + ", port_value: 8080")
        .contains(
            "type: ORIGINAL_DST", "lb_policy: CLUSTER_PROVIDED", "cluster: PassthroughCluster")
        .contains("port_value: 15001", "port_value: 15006")
        .doesNotContain("to_n1", "peer_n1");
    // Only the host's end of the bridge may use the plaintext chain.
    assertThat(n1).contains("address_prefix: " + mesh.network().hostAddress() + ", prefix_len: 32");
  }

  @Test
  void theSidecarServesAdminOnItsAddressAndFindsTheControlPlaneOnTheHost() throws Exception {
    MeshState mesh = threeNodes();
    MeshFiles.write(mesh);
    Path bootstrap = MeshFiles.nodeDir(mesh, "n2").resolve("sidecar.yaml");

    String yaml = Files.readString(bootstrap);

    assertThat(yaml)
        .contains("address: " + mesh.nodes().get(1).address() + ", port_value: 15000")
        .contains(
            "address: "
                + mesh.network().hostAddress()
                + ", port_value: "
                + mesh.controlPlane().xdsPort());
    assertThat(BootstrapLoader.load(bootstrap, Map.of()).config().node().id()).isEqualTo("n2");
  }
}
