package io.outrigger.controlplane.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.controlplane.Fixtures;
import io.outrigger.controlplane.registry.Registration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder read into a validated snapshot per node group. */
class SnapshotBuilderTest {
  @TempDir Path dir;

  private FolderContents load() throws ConfigException {
    return new ResourceFolder(dir, Map.of()).load();
  }

  @Test
  void sharedFilesServeEveryGroupAndSubFoldersTheirOwn() throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), Fixtures.mesh("kv", 8080));
    Files.createDirectories(dir.resolve("kv-1"));
    Files.writeString(
        dir.resolve("kv-1/extra.yaml"),
        Fixtures.edsCluster("extra") + Fixtures.assignment("extra", 9090));
    Files.writeString(dir.resolve("notes.txt"), "not a resource file");
    Files.writeString(dir.resolve(".hidden.yaml"), "broken: [");

    Map<String, GroupSnapshot> groups = SnapshotBuilder.build(load(), List.of(), true);

    assertThat(groups).containsOnlyKeys("default", "kv-1");
    assertThat(groups.get("default").resources(ResourceType.CLUSTER)).containsOnlyKeys("kv");
    assertThat(groups.get("kv-1").resources(ResourceType.CLUSTER)).containsOnlyKeys("kv", "extra");
    assertThat(groups.get("kv-1").resources(ResourceType.LISTENER)).containsOnlyKeys("ingress");
    assertThat(groups.get("default").version(ResourceType.LISTENER))
        .isEqualTo(groups.get("kv-1").version(ResourceType.LISTENER))
        .hasSize(12);
    assertThat(groups.get("default").version(ResourceType.CLUSTER))
        .isNotEqualTo(groups.get("kv-1").version(ResourceType.CLUSTER));
  }

  @Test
  void aRefusalNamesTheFileTheLineAndTheField() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), Fixtures.mesh("kv", 8080));
    Files.writeString(dir.resolve("b.yaml"), Fixtures.routes("other", "nowhere"));

    assertThatThrownBy(() -> SnapshotBuilder.build(load(), List.of(), true))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.source()).isEqualTo("b.yaml");
              assertThat(e.line()).isEqualTo(8);
              assertThat(e.fieldPath()).isEqualTo("[0].virtual_hosts[0].routes[0].route.cluster");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "b.yaml: line 8: [0].virtual_hosts[0].routes[0].route.cluster: unknown"
                          + " cluster \"nowhere\"");
            });
  }

  @Test
  void registrationsJoinTheAssignmentOrMakeIt() throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"), Fixtures.mesh("kv", 8080) + Fixtures.edsCluster("registered-only"));
    Registration kv = registration("kv", 9001);
    Registration other = registration("registered-only", 9002);

    GroupSnapshot snapshot = SnapshotBuilder.build(load(), List.of(kv, other), true).get("default");

    ClusterLoadAssignment merged =
        (ClusterLoadAssignment) snapshot.resources(ResourceType.ENDPOINT).get("kv");
    assertThat(merged.getEndpointsList()).hasSize(2);
    assertThat(
            merged
                .getEndpoints(1)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(9001);
    assertThat(
            merged
                .getEndpoints(1)
                .getLbEndpoints(0)
                .getMetadata()
                .getFilterMetadataOrThrow("outrigger")
                .getFieldsOrThrow("zone")
                .getStringValue())
        .isEqualTo("a");
    assertThat(snapshot.resources(ResourceType.ENDPOINT)).containsOnlyKeys("kv", "registered-only");
  }

  @Test
  void anEdsClusterWithoutHostsIsRefusedOnAFolderChangeButServedEmptyAfterExpiry()
      throws Exception {
    Files.writeString(dir.resolve("a.yaml"), Fixtures.edsCluster("lonely"));

    assertThatThrownBy(() -> SnapshotBuilder.build(load(), List.of(), true))
        .hasMessageContaining(
            "a.yaml: line 5: [0].eds_cluster_config: no ClusterLoadAssignment named \"lonely\"");
    GroupSnapshot afterExpiry = SnapshotBuilder.build(load(), List.of(), false).get("default");
    assertThat(
            ((ClusterLoadAssignment) afterExpiry.resources(ResourceType.ENDPOINT).get("lonely"))
                .getEndpointsCount())
        .isZero();
  }

  private static Registration registration(String cluster, int port) {
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    return new Registration(
        cluster,
        "127.0.0.1",
        port,
        Map.of("zone", "a"),
        Duration.ofSeconds(30),
        t,
        t.plusSeconds(30));
  }
}
