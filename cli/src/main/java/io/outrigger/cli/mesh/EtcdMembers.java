package io.outrigger.cli.mesh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The etcd members of {@code outrigger mesh up --store etcd}: one per node, in the node's network
 * namespace, unchanged — it listens on etcd's own ports on every interface and advertises the
 * node's address, and its peers reach that address through their sidecars and its own. Plain HTTP:
 * the sidecars carry it over mTLS. Data under the node's folder.
 */
final class EtcdMembers {
  /** etcd's client port (gRPC and its JSON gateway), in every node. */
  static final int CLIENT_PORT = 2379;

  /** etcd's peer port (Raft and snapshots), in every node. */
  static final int PEER_PORT = 2380;

  private static final Path ETCD = Path.of("/usr/bin/etcd");

  private EtcdMembers() {}

  /** Fails with what to install when etcd is missing. */
  static void checkInstalled() throws MeshException {
    if (!Files.isExecutable(ETCD)) {
      throw new MeshException(
          "mesh up --store etcd needs " + ETCD + " (Debian: apt-get install -y etcd-server)");
    }
  }

  /** The command line of {@code node}'s member, to run in its namespace. */
  static List<String> command(MeshState mesh, MeshState.Node node) {
    String cluster =
        mesh.nodes().stream()
            .map(n -> n.name() + "=http://" + n.address() + ":" + PEER_PORT)
            .collect(Collectors.joining(","));
    List<String> cmd = new ArrayList<>(mesh.network().inNamespace(node.name()));
    cmd.addAll(
        List.of(
            ETCD.toString(),
            "--name",
            node.name(),
            "--data-dir",
            MeshFiles.nodeDir(mesh, node.name()).resolve("etcd").toString(),
            "--listen-client-urls",
            "http://0.0.0.0:" + CLIENT_PORT,
            "--advertise-client-urls",
            "http://" + node.address() + ":" + CLIENT_PORT,
            "--listen-peer-urls",
            "http://0.0.0.0:" + PEER_PORT,
            "--initial-advertise-peer-urls",
            "http://" + node.address() + ":" + PEER_PORT,
            "--initial-cluster",
            cluster,
            "--initial-cluster-token",
            "outrigger-" + mesh.network().id(),
            "--initial-cluster-state",
            "new"));
    return cmd;
  }
}
