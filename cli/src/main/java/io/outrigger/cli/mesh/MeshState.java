package io.outrigger.cli.mesh;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code outrigger mesh up} started and where, written to {@code DIR/mesh.json} as soon as
 * each process starts, so that {@code mesh status}, {@code mesh down} and the lab find it again
 * (and a failed start can still be stopped).
 *
 * @param mode the store's mode ({@code cp}, {@code cp-unsafe} or {@code ap})
 * @param dir the mesh folder (absolute)
 * @param controlPlane the control plane
 * @param nodes one entry per node, in name order
 * @param external whether the mesh runs elsewhere, e.g. in containers ({@code docker/mesh.json}
 *     describes the compose mesh): its processes are not this command's to watch or stop, so
 *     liveness is asked over HTTP and {@code mesh down} refuses
 * @param network the namespaces and bridge of a mesh with interception ({@code mesh up
 *     --intercept}), recorded before they are made so that {@code mesh down} removes them; null for
 *     a mesh on loopback
 * @param store what the nodes run: {@code kvstore} (the project's store; also when null, as in a
 *     state written before there was a choice) or {@code etcd}
 */
public record MeshState(
    String mode,
    String dir,
    ControlPlane controlPlane,
    List<Node> nodes,
    boolean external,
    MeshNetwork network,
    String store) {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** The file name under the mesh folder. */
  public static final String FILE = "mesh.json";

  public MeshState {
    requireNonNull(mode, "mode");
    requireNonNull(dir, "dir");
    requireNonNull(controlPlane, "controlPlane");
    nodes = List.copyOf(requireNonNull(nodes, "nodes"));
  }

  /** A mesh of processes on loopback that {@code outrigger mesh up} starts. */
  public MeshState(String mode, String dir, ControlPlane controlPlane, List<Node> nodes) {
    this(mode, dir, controlPlane, nodes, false, null, null);
  }

  /** {@code etcd} members rather than the project's store. */
  public boolean etcd() {
    return "etcd".equals(store);
  }

  /**
   * Where a node's store says it is healthy: etcd's {@code /health}, the store's {@code /healthz}.
   */
  public String healthPath() {
    return etcd() ? "/health" : "/healthz";
  }

  /** Whether the nodes run in network namespaces of their own, their traffic intercepted. */
  public boolean intercepted() {
    return network != null;
  }

  /**
   * A process this mesh started. PID and start time together name it: a PID alone may have been
   * reused by an unrelated process after a reboot or a crash.
   *
   * @param pid the process id
   * @param startMillis its start time as the OS reports it, in epoch milliseconds
   * @param log the file its output goes to
   */
  public record Started(long pid, long startMillis, String log) {}

  /**
   * @param xdsPort the ADS gRPC port the sidecars connect to
   * @param httpPort the HTTP API port (status, resources, faults)
   * @param process the process, empty until started
   */
  public record ControlPlane(int xdsPort, int httpPort, Started process) {
    public URI url() {
      return URI.create("http://127.0.0.1:" + httpPort);
    }
  }

  /**
   * One node: a store replica and its sidecar.
   *
   * @param name {@code n1}, {@code n2}, …
   * @param storePort the replica's own port (reached only through the sidecar)
   * @param adminPort the sidecar's admin server
   * @param inboundPort the sidecar's inbound listener: clients and peers reach the replica here
   * @param outboundPort the sidecar's outbound listener: the replica reaches its peers here
   * @param store the replica's process, null until started
   * @param sidecar the sidecar's process, null until started
   * @param address the node's address in its own network namespace (a mesh with interception); null
   *     when every node is on the host's loopback
   */
  public record Node(
      String name,
      int storePort,
      int adminPort,
      int inboundPort,
      int outboundPort,
      Started store,
      Started sidecar,
      String address) {
    /** A node on the host's loopback. */
    public Node(
        String name,
        int storePort,
        int adminPort,
        int inboundPort,
        int outboundPort,
        Started store,
        Started sidecar) {
      this(name, storePort, adminPort, inboundPort, outboundPort, store, sidecar, null);
    }

    /**
     * The store as clients reach it, always through the sidecar: on loopback its inbound listener;
     * with interception the store's own address and port, which the node's rules redirect to it.
     */
    public URI storeUrl() {
      return address == null
          ? URI.create("http://127.0.0.1:" + inboundPort)
          : URI.create("http://" + address + ":" + storePort);
    }

    public URI adminUrl() {
      return URI.create("http://" + (address == null ? "127.0.0.1" : address) + ":" + adminPort);
    }

    Node withStore(Started started) {
      return new Node(
          name, storePort, adminPort, inboundPort, outboundPort, started, sidecar, address);
    }

    Node withSidecar(Started started) {
      return new Node(
          name, storePort, adminPort, inboundPort, outboundPort, store, started, address);
    }
  }

  public Path path() {
    return Path.of(dir);
  }

  /** The node named {@code name}, if the mesh has it. */
  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  MeshState withControlPlane(Started started) {
    return new MeshState(
        mode,
        dir,
        new ControlPlane(controlPlane.xdsPort(), controlPlane.httpPort(), started),
        nodes,
        external,
        network,
        store);
  }

  MeshState withNode(Node node) {
    return new MeshState(
        mode,
        dir,
        controlPlane,
        nodes.stream().map(n -> n.name().equals(node.name()) ? node : n).toList(),
        external,
        network,
        store);
  }

  /** Writes {@code DIR/mesh.json} atomically (a temporary file, then a rename). */
  void save() throws IOException {
    Path tmp = path().resolve("." + FILE + ".tmp");
    Files.writeString(tmp, GSON.toJson(this), StandardCharsets.UTF_8);
    Files.move(
        tmp,
        path().resolve(FILE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The mesh recorded under {@code dir}, if there is one. */
  public static Optional<MeshState> load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(GSON.fromJson(Files.readString(file), MeshState.class));
  }

  static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(FILE));
  }
}
