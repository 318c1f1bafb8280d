package io.outrigger.cli.lab;

import io.outrigger.cli.mesh.Mesh;
import io.outrigger.cli.mesh.MeshException;
import io.outrigger.cli.mesh.MeshOptions;
import io.outrigger.cli.mesh.MeshState;
import io.outrigger.cli.mesh.MeshTokens;
import io.outrigger.cli.mesh.OnInterrupt;
import io.outrigger.lab.Lab;
import io.outrigger.lab.LabOptions;
import io.outrigger.lab.LabResult;
import io.outrigger.lab.LabTarget;
import io.outrigger.lab.StopSignal;
import io.outrigger.lab.store.etcd.EtcdAdapter;
import io.outrigger.lab.store.etcd.EtcdReads;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outrigger lab}: partition experiments against a local mesh, checked and reported. */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description = {
      "Runs checked partition experiments against a local mesh.",
      "Checks what the store guaranteed while the network was cut and healed.",
      "See docs/partition-lab.md."
    },
    subcommands = {LabCommand.Run.class})
public final class LabCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code lab run}. Exit status: 0 when the history satisfies what the mode promises; 1 when it
   * does not, when the checker could not decide, when the mesh failed, or when the run was stopped
   * early (SIGINT/SIGTERM: the report is still written, marked interrupted); 2 for bad usage.
   */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Drives concurrent clients through the sidecars, cuts and heals the network on a schedule"
            + " through the control plane, reads every key from every replica after the heal, and"
            + " checks the history: linearizability for cp, availability and convergence for ap.",
        "Uses the mesh running in --mesh-dir when its mode and size match; otherwise starts one"
            + " there and stops it afterwards (unless --keep-mesh).",
        "With --store etcd it uses or starts an etcd mesh there (`mesh up --store etcd`: three"
            + " members behind their sidecars, needs root); with --etcd-endpoints it runs against"
            + " those running members instead, and faults then need --control-plane, whose"
            + " sidecars front them.",
        "SIGINT or SIGTERM stops the run early: the nemesis heals, the report is written with"
            + " what the history has, marked interrupted."
      })
  static final class Run implements Callable<Integer> {
    @Option(names = "--mode", description = "cp, cp-unsafe or ap (default: ${DEFAULT-VALUE}).")
    String mode = "cp";

    @Option(names = "--nodes", description = "Replicas (default: ${DEFAULT-VALUE}).")
    int nodes = 3;

    @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients = 5;

    @Option(names = "--keys", description = "Keys the clients use (default: ${DEFAULT-VALUE}).")
    int keys = 4;

    @Option(names = "--duration", description = "How long the clients run (default: 30s).")
    Duration duration = Duration.ofSeconds(30);

    @Option(
        names = "--nemesis",
        description =
            "isolate-one, isolate-leader (etcd), halves, bridge, flaky-links or none (default:"
                + " ${DEFAULT-VALUE}).")
    String nemesis = "isolate-one";

    @Option(
        names = "--interval",
        description = "A fault lasts one interval, the heal after it another (default: 5s).")
    Duration interval = Duration.ofSeconds(5);

    @Option(
        names = "--op-timeout",
        description = "When a client gives up on an operation (default: 2s).")
    Duration opTimeout = Duration.ofSeconds(2);

    @Option(names = "--seed", description = "Seeds every random choice (default: the clock).")
    Long seed;

    @Option(
        names = "--report",
        paramLabel = "DIR",
        description =
            "Where report.json, report.html and history.jsonl go"
                + " (default: .outrigger/lab/MODE-NEMESIS-TIME).")
    Path report;

    @Option(
        names = "--mesh-dir",
        paramLabel = "DIR",
        description = "The mesh to use or start (default: ${DEFAULT-VALUE}).")
    Path meshDir = Path.of(".outrigger/mesh");

    @Option(
        names = "--intercept",
        description =
            "Starts the mesh with interception (`mesh up --intercept`, needs root): the replicas"
                + " call each other at their plain addresses, iptables sends that through the"
                + " sidecars.")
    boolean intercept;

    @Option(names = "--keep-mesh", description = "Leave a mesh this run started running.")
    boolean keepMesh;

    @Option(
        names = "--store",
        description =
            "kvstore (the project's store, in a mesh) or etcd (default: ${DEFAULT-VALUE}).")
    String store = "kvstore";

    @Option(
        names = "--etcd-endpoints",
        split = ",",
        paramLabel = "NODE=URL",
        description =
            "With --store etcd: each member's lab node name and client URL (the v3 JSON gateway),"
                + " e.g. n1=http://127.0.0.1:2379,n2=http://127.0.0.1:22379.")
    Map<String, URI> etcdEndpoints;

    @Option(
        names = "--etcd-reads",
        description = "linearizable (etcd's default) or serializable (default: ${DEFAULT-VALUE}).")
    String etcdReads = "linearizable";

    @Option(
        names = "--control-plane",
        paramLabel = "URL",
        description =
            "With --store etcd: the control plane whose sidecars front the members, for faults by"
                + " node name (needed unless --nemesis none).")
    URI controlPlane;

    @Option(
        names = "--control-plane-token-file",
        paramLabel = "FILE",
        description = "With --control-plane: a file holding the lab's API token.")
    Path controlPlaneTokenFile;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        LabOptions options = options();
        checkStore();
        return store.equals("etcd") && etcdEndpoints != null
            ? runEtcd(options, out, err)
            : run(options, out);
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return 2;
      } catch (MeshException e) {
        err.println(e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("lab: interrupted");
        return 1;
      } catch (Exception e) {
        err.println("lab: " + e);
        return 1;
      } finally {
        out.flush();
        err.flush();
      }
    }

    private LabOptions options() {
      Path dir =
          report != null
              ? report
              : Path.of(
                  ".outrigger/lab",
                  (store.equals("kvstore") ? mode : store)
                      + "-"
                      + nemesis
                      + "-"
                      + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      return new LabOptions(
          mode,
          nemesis,
          clients,
          keys,
          duration,
          interval,
          opTimeout,
          seed != null ? seed : System.nanoTime(),
          dir.toAbsolutePath().normalize());
    }

    /** The store and, for etcd, the mode: refused before anything starts. */
    private void checkStore() {
      if (!store.equals("kvstore") && !store.equals("etcd")) {
        throw new IllegalArgumentException(
            "store: %s (expected: kvstore or etcd)".formatted(store));
      }
      if (store.equals("etcd") && !mode.equals("cp")) {
        throw new IllegalArgumentException(
            "mode: %s (expected: cp; etcd is checked for linearizability)".formatted(mode));
      }
    }

    /** Against a mesh of ours, running in --mesh-dir or started there: the store's or etcd's. */
    private int run(LabOptions options, PrintWriter out) throws Exception {
      boolean etcd = store.equals("etcd");
      Optional<MeshState> running = runningMesh();
      MeshState mesh;
      boolean started = running.isEmpty();
      if (started) {
        out.println(
            "starting a "
                + nodes
                + "-node "
                + (etcd ? "etcd" : mode)
                + (intercept || etcd ? " mesh with interception in " : " mesh in ")
                + meshDir
                + " ...");
        out.flush();
        mesh =
            Mesh.up(
                new MeshOptions(
                    nodes, mode, meshDir, Duration.ofSeconds(120), intercept || etcd, store),
                out);
      } else {
        mesh = running.get();
        out.println("using the mesh running in " + mesh.dir());
      }
      // A SIGINT or SIGTERM stops the mesh this run started: its processes do not get the signal.
      Path owned = mesh.path();
      OnInterrupt stopMesh =
          OnInterrupt.run(
              "lab-interrupted",
              () -> {
                if (started && !keepMesh) {
                  downQuietly(owned);
                }
              });
      try {
        Optional<String> token = labToken(mesh.path());
        LabTarget target =
            etcd
                ? new LabTarget(
                    Mesh.storeUrls(mesh),
                    mesh.controlPlane().url(),
                    token,
                    EtcdAdapter.factory(EtcdReads.parse(etcdReads)))
                : new LabTarget(Mesh.storeUrls(mesh), mesh.controlPlane().url(), token);
        if (etcd) {
          out.println("etcd members " + target.storeUrls() + ", " + etcdReads + " reads");
        }
        return execute(target, options, out, spec.commandLine().getErr());
      } finally {
        stopMesh.close();
        if (started && !keepMesh) {
          Mesh.down(mesh.path());
        }
      }
    }

    private static void downQuietly(Path dir) {
      try {
        Mesh.down(dir);
      } catch (MeshException | java.io.IOException e) {
        // Taken down already by the run's own end.
      }
    }

    /** {@code --store etcd --etcd-endpoints}: against running members, no mesh of ours. */
    private int runEtcd(LabOptions options, PrintWriter out, PrintWriter err) throws Exception {
      if (etcdEndpoints.isEmpty()) {
        throw new IllegalArgumentException(
            "--etcd-endpoints: none (expected: n1=http://127.0.0.1:2379,n2=...)");
      }
      Optional<String> token =
          controlPlaneTokenFile == null
              ? Optional.empty()
              : Optional.of(Files.readString(controlPlaneTokenFile).strip());
      LabTarget target =
          new LabTarget(
              etcdEndpoints, controlPlane, token, EtcdAdapter.factory(EtcdReads.parse(etcdReads)));
      out.println("etcd members " + target.storeUrls() + ", " + etcdReads + " reads");
      return execute(target, options, out, err);
    }

    /** Runs the experiment, with SIGINT/SIGTERM asking it to stop early, and prints the summary. */
    private static int execute(
        LabTarget target, LabOptions options, PrintWriter out, PrintWriter err) throws Exception {
      out.println(
          "running %s / %s for %d s with %d clients (seed %d) ..."
              .formatted(
                  options.mode(),
                  options.nemesis(),
                  options.duration().toSeconds(),
                  options.clients(),
                  options.seed()));
      out.flush();
      StopSignal stop = new StopSignal();
      LabResult result;
      try (LabSignals signals = LabSignals.stopOn(stop, err)) {
        result = Lab.run(target, options, io.outrigger.lab.LabClock.system(), stop);
      }
      out.println(result.summary());
      out.println("report: " + result.reportHtml());
      out.println("        " + result.reportJson());
      return result.valid() && !result.report().interrupted() ? 0 : 1;
    }

    /** The lab's own API token of the mesh, when the mesh has one. */
    private static Optional<String> labToken(Path meshDir) throws java.io.IOException {
      return java.nio.file.Files.exists(MeshTokens.labFile(meshDir))
          ? Optional.of(MeshTokens.lab(meshDir))
          : Optional.empty();
    }

    /**
     * The mesh in --mesh-dir if it runs with this mode and size; refused when it does not match.
     */
    private Optional<MeshState> runningMesh() throws Exception {
      Optional<MeshState> recorded = MeshState.load(meshDir.toAbsolutePath().normalize());
      if (recorded.isPresent()
          && recorded.get().external()
          && !Mesh.storesRunning(recorded.get())) {
        throw new MeshException(
            "no store of the mesh described in "
                + meshDir
                + " answers; it runs elsewhere (in containers: see docs/containers.md), so the lab"
                + " does not start one there");
      }
      if (recorded.isEmpty() || !Mesh.storesRunning(recorded.get())) {
        return Optional.empty();
      }
      MeshState mesh = recorded.get();
      if (mesh.etcd() != store.equals("etcd")) {
        throw new MeshException(
            "the mesh in "
                + mesh.dir()
                + " runs "
                + (mesh.etcd() ? "etcd members" : "the project's store")
                + ", not "
                + (store.equals("etcd") ? "etcd" : "the project's store")
                + " (stop it with `outrigger mesh down`, or pass another --mesh-dir)");
      }
      if (!mesh.mode().equals(mode) || mesh.nodes().size() != nodes) {
        throw new MeshException(
            "the mesh in "
                + mesh.dir()
                + " runs "
                + mesh.nodes().size()
                + " "
                + mesh.mode()
                + " replicas, not "
                + nodes
                + " "
                + mode
                + " (stop it with `outrigger mesh down`, or pass another --mesh-dir)");
      }
      return Optional.of(mesh);
    }
  }
}
