package io.outrigger.cli.mesh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mesh of {@code docker/compose.yaml} as its control plane sees it: every node in its own
 * network namespace on the same ports, peers found by container name. {@code outrigger mesh
 * containers-config} writes its resources and CA inside the control plane's container; the host
 * side (published ports) is {@code docker/mesh.json}.
 */
final class ContainerMesh {
  /** The replica's port in its node's namespace; only its sidecar reaches it. */
  static final int STORE_PORT = 8080;

  static final int ADMIN_PORT = 9901;
  static final int INBOUND_PORT = 10000;
  static final int OUTBOUND_PORT = 10001;
  static final int XDS_PORT = 18000;
  static final int HTTP_PORT = 18001;

  private ContainerMesh() {}

  /** The mesh of {@code nodes} nodes {@code n1..nN}, its files under {@code dir}. */
  static MeshState plan(int nodes, String mode, Path dir) {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes: " + nodes + " (expected: 1 or more)");
    }
    List<MeshState.Node> list = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      list.add(
          new MeshState.Node(
              "n" + i, STORE_PORT, ADMIN_PORT, INBOUND_PORT, OUTBOUND_PORT, null, null));
    }
    return new MeshState(
        mode,
        dir.toAbsolutePath().normalize().toString(),
        new MeshState.ControlPlane(XDS_PORT, HTTP_PORT, null),
        list,
        true);
  }

  /** Writes the CA (kept when there) and every node's resources; returns the resource folder. */
  static Path write(MeshState mesh) throws IOException {
    MeshFiles.writeControlPlane(mesh, MeshLayout.containers());
    return MeshFiles.resources(mesh);
  }
}
