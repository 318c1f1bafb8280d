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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
   * does not, when the checker could not decide, or when the mesh failed; 2 for bad usage.
   */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Drives concurrent clients through the sidecars, cuts and heals the network on a schedule"
            + " through the control plane, reads every key from every replica after the heal, and"
            + " checks the history: linearizability for cp, availability and convergence for ap.",
        "Uses the mesh running in --mesh-dir when its mode and size match; otherwise starts one"
            + " there and stops it afterwards (unless --keep-mesh)."
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
            "isolate-one, halves, bridge, flaky-links or none (default: ${DEFAULT-VALUE}).")
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

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        LabOptions options = options();
        return run(options, out);
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
                  mode
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

    private int run(LabOptions options, PrintWriter out) throws Exception {
      Optional<MeshState> running = runningMesh();
      MeshState mesh;
      boolean started = running.isEmpty();
      if (started) {
        out.println(
            "starting a "
                + nodes
                + "-node "
                + mode
                + (intercept ? " mesh with interception in " : " mesh in ")
                + meshDir
                + " ...");
        out.flush();
        mesh =
            Mesh.up(new MeshOptions(nodes, mode, meshDir, Duration.ofSeconds(120), intercept), out);
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
        out.println(
            "running "
                + options.mode()
                + " / "
                + options.nemesis()
                + " for "
                + options.duration().toSeconds()
                + " s with "
                + options.clients()
                + " clients (seed "
                + options.seed()
                + ") ...");
        out.flush();
        LabResult result =
            Lab.run(
                new LabTarget(
                    Mesh.storeUrls(mesh), mesh.controlPlane().url(), labToken(mesh.path())),
                options);
        out.println(result.summary());
        out.println("report: " + result.reportHtml());
        out.println("        " + result.reportJson());
        return result.valid() ? 0 : 1;
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
