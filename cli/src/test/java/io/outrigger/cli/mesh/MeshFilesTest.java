package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.config.BootstrapLoader;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceFolder;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshFilesTest {
  @TempDir Path tmp;

  private MeshState threeNodes() {
    List<MeshState.Node> nodes =
        List.of(
            new MeshState.Node("n1", 20001, 20002, 20003, 20004, null, null),
            new MeshState.Node("n2", 20011, 20012, 20013, 20014, null, null),
            new MeshState.Node("n3", 20021, 20022, 20023, 20024, null, null));
    return new MeshState(
        "cp", tmp.toString(), new MeshState.ControlPlane(19000, 19001, null), nodes);
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
  void outboundRoutesLeadEachPeerNameToThatPeersInboundListener() throws Exception {
    MeshState mesh = threeNodes();
    String n1 = MeshFiles.nodeResources(mesh, mesh.nodes().get(0));

    assertThat(n1)
        .contains("name: peer_n2", "port_value: 20013", "name: peer_n3", "port_value: 20023")
        .contains("domains: [\"n2\", \"n2:*\"]", "cluster: peer_n3")
        .contains("name: local_store", "port_value: 20001")
        .contains("outrigger.filters.partition")
        .doesNotContain("peer_n1");
  }

  @Test
  void peersTalkMtlsWithIdentitiesFromTheMeshCaAndOnlyPeersPassTheInboundRbac() throws Exception {
    MeshState mesh = threeNodes();
    MeshFiles.write(mesh);
    String n1 = MeshFiles.nodeResources(mesh, mesh.nodes().get(0));

    assertThat(MeshFiles.caDir(mesh).resolve("ca.pem")).exists();
    assertThat(MeshFiles.caDir(mesh).resolve("ca-key.pem")).exists();
    // The peer cluster verifies exactly the peer's identity.
    assertThat(n1)
        .contains("name: peer_n2")
        .contains("UpstreamTlsContext")
        .contains("matcher: { exact: \"spiffe://outrigger.local/ns/default/sa/n2\" }");
    // The inbound TLS chain lets n2 and n3 in, not n1 itself; plaintext is its own chain.
    assertThat(n1)
        .contains("filter_chain_match: { transport_protocol: tls }")
        .contains("filter_chain_match: { transport_protocol: raw_buffer }")
        .contains("principal_name: { exact: \"spiffe://outrigger.local/ns/default/sa/n2\" }")
        .contains("principal_name: { exact: \"spiffe://outrigger.local/ns/default/sa/n3\" }")
        .doesNotContain("principal_name: { exact: \"spiffe://outrigger.local/ns/default/sa/n1\" }");
    // A second write keeps the CA: sidecars that restart keep trusting their peers.
    byte[] ca = java.nio.file.Files.readAllBytes(MeshFiles.caDir(mesh).resolve("ca.pem"));
    MeshFiles.write(mesh);
    assertThat(MeshFiles.caDir(mesh).resolve("ca.pem")).hasBinaryContent(ca);
  }

  @Test
  void bootstrapNamesTheNodeAndTheControlPlane() throws Exception {
    MeshState mesh = threeNodes();
    MeshFiles.write(mesh);
    Path bootstrap = MeshFiles.nodeDir(mesh, "n2").resolve("sidecar.yaml");

    var loaded = BootstrapLoader.load(bootstrap, Map.of());

    assertThat(loaded.proto().getNode().getId()).isEqualTo("n2");
    assertThat(loaded.proto().getNode().getCluster()).isEqualTo("n2");
    assertThat(Files.readString(bootstrap)).contains("port_value: 19000", "port_value: 20012");
    assertThat(Files.isDirectory(MeshFiles.nodeDir(mesh, "n2").resolve("data"))).isTrue();
  }

  @Test
  void bootstrapVerifiesTheControlPlaneAndCarriesTheNodesOwnTokenInAnOwnerOnlyFile()
      throws Exception {
    MeshState mesh = threeNodes();
    MeshFiles.write(mesh);
    Path bootstrap = MeshFiles.nodeDir(mesh, "n2").resolve("sidecar.yaml");
    String n2Token = MeshTokens.read(MeshTokens.dir(mesh.path()).resolve("n2.token"));

    var ads = BootstrapLoader.load(bootstrap, Map.of()).config();

    assertThat(ads.dynamicResources().orElseThrow().ads().initialMetadata())
        .containsEntry("authorization", "Bearer " + n2Token);
    var validation = ads.clusters().get(0).tls().orElseThrow().common().validation().orElseThrow();
    assertThat(validation.uriSanMatchers().get(0).matches(MeshFiles.CONTROL_PLANE_ID)).isTrue();
    assertThat(validation.uriSanMatchers().get(0).matches(MeshFiles.spiffeId("n2"))).isFalse();
    String granted = Files.readString(MeshTokens.controlPlaneFile(mesh));
    assertThat(granted)
        .contains(io.outrigger.controlplane.auth.TokenFile.hash(n2Token) + " node default/n2")
        .doesNotContain(n2Token);
    for (Path secret :
        List.of(
            bootstrap,
            MeshTokens.controlPlaneFile(mesh),
            MeshTokens.apiFile(mesh.path()),
            MeshTokens.labFile(mesh.path()))) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(secret)))
          .as(secret.toString())
          .isEqualTo("rw-------");
    }
  }

  @Test
  void partitionGroupsAreSeparatedBySlashes() {
    assertThat(MeshCommand.parseGroups("n1 / n2,n3"))
        .containsExactly(List.of("n1"), List.of("n2", "n3"));
    assertThat(MeshCommand.parseGroups("n1,n2/n3 n4"))
        .containsExactly(List.of("n1", "n2"), List.of("n3", "n4"));
    assertThatThrownBy(() -> MeshCommand.parseGroups("n1 n2")).hasMessageContaining("at least two");
    assertThatThrownBy(() -> MeshCommand.parseGroups("n1 / ")).hasMessageContaining("empty group");
  }

  @Test
  void syncStateIsTheWorstOfTheTypesSent() {
    var types =
        com.google.gson.JsonParser.parseString(
                "{\"CDS\":{\"state\":\"SYNCED\"},\"EDS\":{\"state\":\"NOT_SENT\"},"
                    + "\"LDS\":{\"state\":\"SYNCED\"},\"RDS\":{\"state\":\"STALE\"}}")
            .getAsJsonObject();
    assertThat(MeshSync.state(types)).isEqualTo("STALE");
    types.getAsJsonObject("RDS").addProperty("state", "SYNCED");
    assertThat(MeshSync.state(types)).isEqualTo("SYNCED");
    types.getAsJsonObject("LDS").addProperty("state", "NOT_SENT");
    assertThat(MeshSync.state(types)).isEqualTo("NOT_SENT");
    types.getAsJsonObject("CDS").addProperty("state", "NACKED");
    assertThat(MeshSync.state(types)).isEqualTo("NACKED");
  }
}
