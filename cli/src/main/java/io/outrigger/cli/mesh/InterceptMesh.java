package io.outrigger.cli.mesh;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code outrigger mesh up --intercept}: every node in a network namespace of its own ({@link
 * MeshNetwork}), its replica unchanged — listening on its ordinary port, calling its peers at their
 * plain addresses — and {@code outrigger iptables} in the namespace sending that traffic through
 * the node's sidecar, as an init container does in a pod. The ports are the same in every node, as
 * in a pod: the ones Istio uses for the proxy.
 */
final class InterceptMesh {
  /** The replica's own port, in every node. */
  static final int STORE_PORT = 8080;

  /** The sidecar's admin server, on the node's address; the rules leave it alone. */
  static final int ADMIN_PORT = 15000;

  /** Where the rules send connections the replica opens. */
  static final int OUTBOUND_PORT = 15001;

  /** Where the rules send connections that arrive for the node. */
  static final int INBOUND_PORT = 15006;

  private InterceptMesh() {}

  /** The nodes at their addresses and fixed ports; the control plane on free host ports. */
  static MeshState plan(MeshOptions options) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= options.nodes(); i++) {
      names.add("n" + i);
    }
    MeshNetwork network = MeshNetwork.plan(options.dir(), names);
    LoopbackPorts ports = LoopbackPorts.forThisMachine(new SplittableRandom());
    List<MeshState.Node> nodes = new ArrayList<>();
    boolean etcd = options.store().equals("etcd");
    for (String name : names) {
      nodes.add(
          new MeshState.Node(
              name,
              etcd ? EtcdMembers.CLIENT_PORT : STORE_PORT,
              ADMIN_PORT,
              INBOUND_PORT,
              OUTBOUND_PORT,
              null,
              null,
              network.address(name)));
    }
    return new MeshState(
        options.mode(),
        options.dir().toString(),
        new MeshState.ControlPlane(ports.next(), ports.next(), null),
        nodes,
        false,
        network,
        options.store());
  }

  /**
   * Makes the namespaces and the bridge, then installs the interception rules in every namespace
   * with {@code outrigger iptables}: the sidecar's group passes, its admin port is not intercepted.
   */
  static void createNetwork(MeshState mesh, PrintWriter progress) throws MeshException {
    MeshNetwork network = mesh.network();
    progress.println(
        "making "
            + mesh.nodes().size()
            + " network namespaces on bridge "
            + network.bridge()
            + " ("
            + network.subnet()
            + ".0/24) with interception ...");
    progress.flush();
    network.create();
    for (MeshState.Node node : mesh.nodes()) {
      MeshNetwork.run(MeshProcesses.command(network.inNamespace(node.name()), iptablesArgs()));
    }
  }

  /** The arguments of {@code outrigger iptables} in every node. */
  static List<String> iptablesArgs() {
    return List.of(
        "iptables",
        "--inbound-port",
        String.valueOf(INBOUND_PORT),
        "--outbound-port",
        String.valueOf(OUTBOUND_PORT),
        "--proxy-gid",
        String.valueOf(MeshNetwork.PROXY_GID),
        "--exclude-inbound-ports",
        String.valueOf(ADMIN_PORT));
  }
}
