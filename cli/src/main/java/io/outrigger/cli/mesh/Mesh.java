package io.outrigger.cli.mesh;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A local mesh on loopback: the control plane, N store replicas and N sidecars, as processes. This
 * is what {@code outrigger mesh} and {@code outrigger lab} drive; all its blocking waits are
 * bounded.
 */
public final class Mesh {
  /** How long {@code down} waits for a process to exit after SIGTERM before it kills it. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private Mesh() {}

  /**
   * Starts a fresh mesh in {@code options.dir()} (the data and logs of a stopped mesh there are
   * removed first) and waits until every sidecar is ready and SYNCED and every replica answers
   * through its sidecar. On failure everything it started is stopped again.
   *
   * @param progress where to say what is happening
   * @throws MeshException when a mesh already runs there, or the mesh did not come up in time
   */
  public static MeshState up(MeshOptions options, PrintWriter progress)
      throws IOException, MeshException {
    Optional<MeshState> previous = MeshState.load(options.dir());
    if (previous.isPresent()) {
      refuseExternal(previous.get(), "up");
    }
    if (previous.isPresent() && isRunning(previous.get())) {
      throw new MeshException(
          "a mesh already runs in "
              + options.dir()
              + " (`outrigger mesh status` shows it; `outrigger mesh down` stops it)");
    }
    // A mesh with interception whose processes all died leaves its namespaces: remove them.
    previous.filter(MeshState::intercepted).ifPresent(p -> p.network().remove());
    if (options.intercept()) {
      MeshNetwork.checkPrerequisites();
    }
    if (options.store().equals("etcd")) {
      EtcdMembers.checkInstalled();
    }
    Files.createDirectories(options.dir());
    clean(options.dir());
    MeshState mesh = options.intercept() ? InterceptMesh.plan(options) : plan(options);
    MeshFiles.write(mesh);
    mesh.save();
    MeshState planned = mesh;
    StartSteps steps = new StartSteps();
    try (OnInterrupt undo =
        OnInterrupt.run(
            "mesh-up-interrupted", () -> steps.undo(() -> abandon(options.dir(), planned)))) {
      if (mesh.intercepted()) {
        steps.run(() -> InterceptMesh.createNetwork(planned, progress));
      }
      mesh = start(mesh, options, progress, steps);
    } catch (MeshException | IOException | RuntimeException e) {
      abandon(options.dir(), mesh);
      throw e;
    }
    return mesh;
  }

  /**
   * Stops what a start that failed or was interrupted had started (as recorded in {@code dir}, else
   * {@code planned}) and forgets the mesh.
   */
  private static void abandon(Path dir, MeshState planned) {
    try {
      stop(MeshState.load(dir).orElse(planned));
      MeshState.delete(dir);
    } catch (IOException e) {
      stop(planned);
    }
  }

  /**
   * Stops exactly the processes recorded in {@code dir} and forgets them.
   *
   * @return how many processes were still running
   */
  public static int down(Path dir) throws IOException, MeshException {
    MeshState mesh = find(dir);
    refuseExternal(mesh, "down");
    int stopped = stop(mesh);
    MeshState.delete(mesh.path());
    return stopped;
  }

  /** The mesh recorded in {@code dir}, running or not. */
  public static MeshState find(Path dir) throws IOException, MeshException {
    Path abs = dir.toAbsolutePath().normalize();
    return MeshState.load(abs)
        .orElseThrow(
            () -> new MeshException("no mesh in " + abs + " (start one with `outrigger mesh up`)"));
  }

  /**
   * Kills a node's store replica with SIGKILL, as a crash would: no shutdown hook runs, nothing is
   * flushed that was not already on disk.
   *
   * @return whether it was running
   */
  public static boolean killStore(MeshState mesh, String node) throws MeshException {
    refuseExternal(mesh, "kill");
    MeshState.Node n = node(mesh, node);
    return MeshProcesses.find(n.store())
        .map(
            h -> {
              h.destroyForcibly();
              h.onExit().join();
              return true;
            })
        .orElse(false);
  }

  /**
   * Starts a node's store replica again, on the same port and data folder, if it is not running,
   * and waits until it answers through its sidecar.
   */
  public static MeshState restartStore(MeshState mesh, String node, Duration timeout)
      throws IOException, MeshException {
    refuseExternal(mesh, "restart");
    MeshState.Node n = node(mesh, node);
    if (MeshProcesses.alive(n.store())) {
      throw new MeshException("the store of " + node + " is running (kill it first)");
    }
    Path log = MeshFiles.logs(mesh).resolve(node + "-store.log");
    MeshState next = mesh.withNode(n.withStore(startStore(mesh, n, log)));
    next.save();
    long deadline = System.nanoTime() + timeout.toNanos();
    MeshState started = next;
    awaitUntil(deadline, started, () -> MeshHttp.get(n.storeUrl().resolve(mesh.healthPath())).ok());
    return started;
  }

  private static void refuseExternal(MeshState mesh, String command) throws MeshException {
    if (mesh.external()) {
      throw new MeshException(
          "mesh "
              + command
              + ": the mesh described in "
              + mesh.dir()
              + " runs elsewhere (in containers: see docs/containers.md); its own tools stop and"
              + " start it");
    }
  }

  /**
   * Whether a process of the mesh is alive: asked of the OS for a mesh of processes; for an
   * external mesh (containers) nobody here knows, so the HTTP checks alone speak.
   */
  static boolean alive(MeshState mesh, MeshState.Started process) {
    return mesh.external() || MeshProcesses.alive(process);
  }

  private static MeshState.Node node(MeshState mesh, String name) throws MeshException {
    return mesh.node(name)
        .orElseThrow(
            () ->
                new MeshException(
                    "no node "
                        + name
                        + " in the mesh (its nodes: "
                        + mesh.nodes().stream().map(MeshState.Node::name).toList()
                        + ")"));
  }

  /** Every node's health, readiness and sync state, asked now. */
  public static List<NodeStatus> status(MeshState mesh) {
    Map<String, String> sync = MeshSync.states(mesh);
    List<NodeStatus> out = new ArrayList<>();
    for (MeshState.Node node : mesh.nodes()) {
      out.add(
          new NodeStatus(
              node.name(),
              node.storeUrl().toString(),
              node.adminUrl().toString(),
              MeshHttp.get(node.storeUrl().resolve(mesh.healthPath())).ok(),
              MeshHttp.get(node.adminUrl().resolve("/ready")).ok(),
              sync.getOrDefault(node.name(), "DISCONNECTED"),
              alive(mesh, node.store()),
              alive(mesh, node.sidecar())));
    }
    return out;
  }

  /** The store URL of every node, through its sidecar, by node name. */
  public static Map<String, URI> storeUrls(MeshState mesh) {
    return mesh.nodes().stream()
        .collect(
            Collectors.toMap(
                MeshState.Node::name, MeshState.Node::storeUrl, (a, b) -> a, LinkedHashMap::new));
  }

  private static MeshState plan(MeshOptions options) {
    LoopbackPorts ports = LoopbackPorts.forThisMachine(new SplittableRandom());
    List<MeshState.Node> nodes = new ArrayList<>();
    for (int i = 1; i <= options.nodes(); i++) {
      nodes.add(
          new MeshState.Node(
              "n" + i, ports.next(), ports.next(), ports.next(), ports.next(), null, null));
    }
    return new MeshState(
        options.mode(),
        options.dir().toString(),
        new MeshState.ControlPlane(ports.next(), ports.next(), null),
        nodes);
  }

  private static MeshState start(
      MeshState mesh, MeshOptions options, PrintWriter progress, StartSteps steps)
      throws IOException, MeshException {
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    Path logs = MeshFiles.logs(mesh);
    progress.println(
        "starting the control plane, " + mesh.nodes().size() + " replicas and their sidecars ...");
    progress.flush();
    mesh =
        steps.record(
            mesh,
            m ->
                m.withControlPlane(
                    MeshProcesses.start(
                        logs.resolve("control-plane.log"),
                        List.of(
                            "control-plane",
                            "--resources",
                            MeshFiles.resources(m).toString(),
                            "--xds-address",
                            controlPlaneHost(m) + ":" + m.controlPlane().xdsPort(),
                            "--http-address",
                            "127.0.0.1:" + m.controlPlane().httpPort(),
                            "--ca",
                            MeshFiles.caDir(m).toString(),
                            "--tokens",
                            MeshTokens.controlPlaneFile(m).toString()))));
    for (MeshState.Node node : mesh.nodes()) {
      mesh =
          steps.record(
              mesh,
              m ->
                  m.withNode(
                      node.withStore(
                          startStore(m, node, logs.resolve(node.name() + "-store.log")))));
    }
    for (MeshState.Node node : mesh.nodes()) {
      mesh = steps.record(mesh, m -> startSidecar(m, node, logs));
    }
    MeshState started = mesh;
    awaitUntil(deadline, started, () -> status(started).stream().allMatch(NodeStatus::healthy));
    return started;
  }

  /** Starts {@code node}'s sidecar: in its namespace, with interception. */
  private static MeshState startSidecar(MeshState mesh, MeshState.Node node, Path logs)
      throws IOException {
    MeshState.Node current = mesh.node(node.name()).orElseThrow();
    return mesh.withNode(
        current.withSidecar(
            MeshProcesses.start(
                logs.resolve(node.name() + "-sidecar.log"),
                mesh.intercepted() ? mesh.network().sidecarInNamespace(node.name()) : List.of(),
                // original_dst reads SO_ORIGINAL_DST through the NIO socket's descriptor
                // (RawSocketOptions); the manifest says so for java -jar, not for -cp
                mesh.intercepted()
                    ? List.of("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
                    : List.<String>of(),
                sidecarArgs(mesh, node))));
  }

  /** Where the control plane serves the sidecars: the host's bridge address with interception. */
  private static String controlPlaneHost(MeshState mesh) {
    return mesh.intercepted() ? mesh.network().hostAddress() : "127.0.0.1";
  }

  /** Starts {@code node}'s store: a replica of the project's store, or an etcd member. */
  private static MeshState.Started startStore(MeshState mesh, MeshState.Node node, Path log)
      throws IOException {
    if (mesh.etcd()) {
      return MeshProcesses.startCommand(log, EtcdMembers.command(mesh, node));
    }
    List<String> prefix =
        mesh.intercepted() ? mesh.network().inNamespace(node.name()) : List.<String>of();
    return MeshProcesses.start(log, prefix, storeArgs(mesh, node));
  }

  /**
   * A replica's command line. On loopback it calls every peer at its own sidecar's outbound
   * listener (the {@code Host} header names the peer); with interception it calls each peer at the
   * peer's own address, as it would without a mesh, and iptables does the rest.
   */
  private static List<String> storeArgs(MeshState mesh, MeshState.Node node) {
    String peers =
        mesh.nodes().stream()
            .filter(n -> !n.name().equals(node.name()))
            .map(
                n ->
                    n.name()
                        + "="
                        + (mesh.intercepted()
                            ? n.address() + ":" + n.storePort()
                            : "127.0.0.1:" + node.outboundPort()))
            .collect(Collectors.joining(","));
    List<String> args =
        new ArrayList<>(
            List.of(
                "kvstore",
                "--node",
                node.name(),
                "--listen",
                (mesh.intercepted() ? "0.0.0.0:" : "127.0.0.1:") + node.storePort(),
                "--mode",
                mesh.mode(),
                "--data",
                MeshFiles.nodeDir(mesh, node.name()).resolve("data").toString()));
    if (!peers.isEmpty()) {
      args.add("--peers");
      args.add(peers);
    }
    return args;
  }

  private static List<String> sidecarArgs(MeshState mesh, MeshState.Node node) {
    return List.of(
        "proxy",
        "--config",
        MeshFiles.nodeDir(mesh, node.name()).resolve("sidecar.yaml").toString(),
        "--concurrency",
        "1",
        "--drain-time",
        "1s",
        // The workload key is made by the sidecar; the control plane signs its CSR.
        "--csr-secret",
        "default");
  }

  /**
   * Polls {@code done} until it holds; fails early, naming the log, when a process of the mesh
   * died, and at the deadline with the nodes that are not yet healthy.
   */
  private static void awaitUntil(long deadline, MeshState mesh, BooleanSupplier done)
      throws MeshException {
    while (!done.getAsBoolean()) {
      List<MeshState.Started> dead = dead(mesh);
      if (!dead.isEmpty()) {
        throw new MeshException(
            "a process of the mesh exited during start-up; its log: "
                + dead.get(0).log()
                + "\n"
                + tail(Path.of(dead.get(0).log()), 15));
      }
      if (System.nanoTime() > deadline) {
        String waiting =
            status(mesh).stream()
                .filter(s -> !s.healthy())
                .map(Mesh::describe)
                .collect(Collectors.joining("\n  "));
        throw new MeshException(
            "the mesh did not come up in time; not ready:\n  "
                + waiting
                + "\nlogs: "
                + MeshFiles.logs(mesh));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MeshException("interrupted while waiting for the mesh");
      }
    }
  }

  private static String describe(NodeStatus s) {
    return s.name()
        + ": store "
        + (s.storeHealthy() ? "healthy" : "not answering")
        + ", sidecar "
        + (s.sidecarReady() ? "ready" : "not ready")
        + ", xDS "
        + s.sync();
  }

  private static List<MeshState.Started> all(MeshState mesh) {
    List<MeshState.Started> out = new ArrayList<>();
    for (MeshState.Node n : mesh.nodes()) {
      Stream.of(n.sidecar(), n.store()).filter(java.util.Objects::nonNull).forEach(out::add);
    }
    if (mesh.controlPlane().process() != null) {
      out.add(mesh.controlPlane().process());
    }
    return out;
  }

  /** Whether any process the mesh recorded is still alive (asked of the OS, not over HTTP). */
  private static boolean isRunning(MeshState mesh) {
    return all(mesh).stream().anyMatch(MeshProcesses::alive);
  }

  /**
   * Whether any of the mesh's store replicas is still alive: asked of the OS, or for an external
   * mesh whether any answers {@code /healthz} through its sidecar.
   */
  public static boolean storesRunning(MeshState mesh) {
    if (mesh.external()) {
      return mesh.nodes().stream()
          .anyMatch(n -> MeshHttp.get(n.storeUrl().resolve(mesh.healthPath())).ok());
    }
    return mesh.nodes().stream().anyMatch(n -> MeshProcesses.alive(n.store()));
  }

  private static List<MeshState.Started> dead(MeshState mesh) {
    return all(mesh).stream().filter(s -> !MeshProcesses.alive(s)).toList();
  }

  /** Stops the processes, then removes the namespaces and bridge of a mesh with interception. */
  private static int stop(MeshState mesh) {
    int stopped = MeshProcesses.stop(all(mesh), STOP_GRACE);
    if (mesh.intercepted()) {
      mesh.network().remove();
    }
    return stopped;
  }

  /** Removes what a previous mesh left: its data, logs, bootstraps and resources. */
  private static void clean(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (name.equals("resources") || name.equals("logs") || name.matches("n\\d+")) {
          deleteTree(p);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
