package io.outrigger.cli.mesh;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outrigger mesh}: a local mesh on loopback. Exit status: 0 on success; 1 when the mesh is
 * missing, failed to start or did not take a fault; 2 for bad usage.
 */
@Command(
    name = "mesh",
    mixinStandardHelpOptions = true,
    description = {
      "Runs and drives a local mesh of store replicas and sidecars on loopback.",
      "A control plane, N replicas of the store and a sidecar for each; the replicas reach each"
          + " other only through the sidecars.",
      "See docs/partition-lab.md."
    },
    subcommands = {
      MeshCommand.Up.class,
      MeshCommand.Status.class,
      MeshCommand.Partition.class,
      MeshCommand.Isolate.class,
      MeshCommand.Heal.class,
      MeshCommand.Kill.class,
      MeshCommand.Restart.class,
      MeshCommand.Down.class,
      MeshCommand.ContainersConfig.class
    })
public final class MeshCommand implements Runnable {
  static final String DEFAULT_DIR = ".outrigger/mesh";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The folder option every subcommand takes, and the error handling they share. */
  abstract static class Base implements Callable<Integer> {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "The mesh folder: state, config, data and logs (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of(DEFAULT_DIR);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    abstract int run(PrintWriter out) throws Exception;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        return run(out);
      } catch (MeshException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 2;
      } catch (Exception e) {
        spec.commandLine().getErr().println("mesh: " + e);
        return 1;
      } finally {
        out.flush();
        spec.commandLine().getErr().flush();
      }
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description =
          "Starts the control plane, the replicas and their sidecars, waits until all are healthy"
              + " and in sync, and prints where they are.")
  static final class Up extends Base {
    @Option(names = "--nodes", description = "How many replicas (default: ${DEFAULT-VALUE}).")
    int nodes = 3;

    @Option(names = "--mode", description = "cp, cp-unsafe or ap (default: ${DEFAULT-VALUE}).")
    String mode = "cp";

    @Option(
        names = "--timeout",
        description = "How long to wait for the mesh to be ready (default: 120s).")
    Duration timeout = Duration.ofSeconds(120);

    @Option(
        names = "--intercept",
        description =
            "Runs each node in a network namespace of its own (needs root): the replica calls its"
                + " peers at their plain addresses and `outrigger iptables` sends its traffic"
                + " through its sidecar. See docs/interception.md.")
    boolean intercept;

    @Option(
        names = "--store",
        description =
            "What each node runs: kvstore (the project's store) or etcd (a member of a three-node"
                + " etcd cluster; implies --intercept) (default: ${DEFAULT-VALUE}).")
    String store = "kvstore";

    @Override
    int run(PrintWriter out) throws Exception {
      boolean etcd = store.equals("etcd");
      MeshState mesh =
          Mesh.up(new MeshOptions(nodes, mode, dir, timeout, intercept || etcd, store), out);
      out.println(
          "mesh up: "
              + nodes
              + (etcd ? " etcd members" : " replicas, mode " + mode)
              + (mesh.intercepted() ? ", intercepted" : ""));
      out.print(MeshTable.render(mesh, Mesh.status(mesh)));
      String first = mesh.nodes().get(0).storeUrl().toString();
      out.println();
      if (etcd) {
        out.println("try:   ETCDCTL_API=3 etcdctl --endpoints " + first + " put greeting hello");
      } else {
        out.println("try:   curl -X PUT --data hello " + first + "/kv/greeting");
      }
      out.println("       outrigger mesh partition n1 / n2,n3     (then: outrigger mesh heal)");
      out.println("stop:  outrigger mesh down");
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Shows every node's store URL, admin URL, health and xDS state.")
  static final class Status extends Base {
    @Option(names = "--json", description = "Prints JSON for scripts.")
    boolean json;

    @Override
    int run(PrintWriter out) throws Exception {
      MeshState mesh = Mesh.find(dir);
      List<NodeStatus> status = Mesh.status(mesh);
      if (json) {
        out.println(MeshTable.json(mesh, status));
      } else {
        out.print(MeshTable.render(mesh, status));
        JsonObject faults = tryFaults(mesh);
        if (faults != null) {
          out.println("faults: " + MeshTable.describeFaults(faults));
        }
      }
      return 0;
    }

    private static JsonObject tryFaults(MeshState mesh) {
      try {
        return MeshFaults.current(mesh);
      } catch (MeshException e) {
        return null;
      }
    }
  }

  @Command(
      name = "partition",
      mixinStandardHelpOptions = true,
      description = {
        "Splits the mesh into groups that cannot reach each other, e.g. `n1 / n2,n3`.",
        "Replaces any fault in force."
      })
  static final class Partition extends Base {
    @Parameters(paramLabel = "GROUPS", description = "Groups of nodes separated by '/'.")
    List<String> words = new ArrayList<>();

    @Override
    int run(PrintWriter out) throws Exception {
      MeshState mesh = Mesh.find(dir);
      List<List<String>> groups = parseGroups(String.join(" ", words));
      return report(out, MeshFaults.partition(mesh, groups));
    }
  }

  @Command(
      name = "isolate",
      mixinStandardHelpOptions = true,
      description = "Cuts one node off from all others, both ways. Replaces any fault in force.")
  static final class Isolate extends Base {
    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    int run(PrintWriter out) throws Exception {
      return report(out, MeshFaults.isolate(Mesh.find(dir), node));
    }
  }

  @Command(name = "heal", mixinStandardHelpOptions = true, description = "Removes every fault.")
  static final class Heal extends Base {
    @Override
    int run(PrintWriter out) throws Exception {
      return report(out, MeshFaults.heal(Mesh.find(dir)));
    }
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = "Kills a node's store replica with SIGKILL, as a crash would.")
  static final class Kill extends Base {
    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    int run(PrintWriter out) throws Exception {
      boolean wasRunning = Mesh.killStore(Mesh.find(dir), node);
      out.println(
          wasRunning
              ? "killed the store of " + node + " (`outrigger mesh restart " + node + "` starts it)"
              : "the store of " + node + " was not running");
      return 0;
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description =
          "Starts a node's stopped store replica again on its data folder and waits until it"
              + " answers.")
  static final class Restart extends Base {
    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    int run(PrintWriter out) throws Exception {
      Mesh.restartStore(Mesh.find(dir), node, Duration.ofSeconds(60));
      out.println("the store of " + node + " is back");
      return 0;
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description =
          "Stops exactly the processes `mesh up` started (by their recorded ids); keeps the logs.")
  static final class Down extends Base {
    @Override
    int run(PrintWriter out) throws Exception {
      int stopped = Mesh.down(dir);
      out.println(
          "mesh down: stopped " + stopped + " processes; logs stay in " + dir.resolve("logs"));
      return 0;
    }
  }

  @Command(
      name = "containers-config",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the control plane's resources, the mesh CA and the mesh's tokens (tokens/:"
            + " control-plane.tokens, nK.token, api.token, lab.token, status.token) for the mesh"
            + " of docker/compose.yaml into DIR (the CA and the tokens are kept when there).",
        "Every node in its own network namespace: inbound :"
            + ContainerMesh.INBOUND_PORT
            + ", outbound 127.0.0.1:"
            + ContainerMesh.OUTBOUND_PORT
            + ", admin :"
            + ContainerMesh.ADMIN_PORT
            + ", replica 127.0.0.1:"
            + ContainerMesh.STORE_PORT
            + "; node nK's sidecar is the container "
            + MeshLayout.CONTAINER_PREFIX
            + "nK. See docs/containers.md."
      })
  static final class ContainersConfig extends Base {
    @Option(names = "--nodes", description = "How many replicas (default: ${DEFAULT-VALUE}).")
    int nodes = 3;

    @Option(
        names = "--credentials",
        paramLabel = "DIR",
        description =
            "Also write what the other containers read into DIR: ca.pem, each node's token"
                + " (nK.token, 0600) and status.token (0640, for Prometheus).")
    Path credentials;

    @Option(
        names = "--plaintext-from",
        paramLabel = "auto|any|RANGES",
        description =
            "Who may use the plaintext chain of the sidecars' inbound listener (the mTLS chain is"
                + " for peers): auto (default): loopback and this container's default gateway,"
                + " where published ports are forwarded from; any: everyone on the network; or"
                + " IPv4 ranges, comma separated.")
    String plaintextFrom = "auto";

    @Option(
        names = "--intercept",
        description =
            "The pods of docker/compose-intercept.yaml: node nK at SUBNET.(10+K) (--subnet), its"
                + " replica unchanged on :"
                + ContainerMesh.STORE_PORT
                + ", `outrigger iptables` sending its traffic to the sidecar's outbound :"
                + InterceptMesh.OUTBOUND_PORT
                + " and inbound :"
                + InterceptMesh.INBOUND_PORT
                + " listeners, which find peers by their address. See docs/interception.md.")
    boolean intercept;

    @Option(
        names = "--subnet",
        paramLabel = "A.B.C",
        description =
            "With --intercept: the first three octets of the compose network's /24, which gives"
                + " the nodes their fixed addresses, e.g. 10.214.16.")
    String subnet;

    @Override
    int run(PrintWriter out) throws Exception {
      if (intercept != (subnet != null)) {
        throw new IllegalArgumentException(
            "containers-config: --intercept and --subnet go together (expected: both or neither)");
      }
      MeshState mesh =
          intercept
              ? ContainerMesh.planIntercepted(nodes, "cp", dir, subnet)
              : ContainerMesh.plan(nodes, "cp", dir);
      List<String> clients = ContainerMesh.plaintextClients(plaintextFrom, ContainerMesh.ROUTES);
      Path resources = ContainerMesh.write(mesh, credentials, clients);
      out.println("wrote the resources of " + nodes + " nodes into " + resources);
      if (intercept) {
        for (MeshState.Node node : mesh.nodes()) {
          out.println("  " + node.name() + " at " + node.address() + " (intercepted)");
        }
        out.println("in each pod: outrigger " + String.join(" ", ContainerMesh.iptablesArgs()));
      }
      out.println("plaintext inbound chain serves: " + (clients.isEmpty() ? "anyone" : clients));
      out.println("tokens (kept when there): " + MeshTokens.dir(mesh.path()));
      if (credentials != null) {
        out.println("credentials for the sidecars and Prometheus: " + credentials);
      }
      return 0;
    }
  }

  /** {@code "n1 / n2,n3"} to {@code [[n1], [n2, n3]]}. */
  static List<List<String>> parseGroups(String text) {
    List<List<String>> groups = new ArrayList<>();
    for (String group : text.split("/")) {
      List<String> nodes =
          Arrays.stream(group.trim().split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException(
            "partition: empty group in \"" + text + "\" (expected e.g.: n1 / n2,n3)");
      }
      groups.add(nodes);
    }
    if (groups.size() < 2) {
      throw new IllegalArgumentException(
          "partition: one group only in \""
              + text
              + "\" (expected at least two, e.g.: n1 / n2,n3)");
    }
    return groups;
  }

  private static int report(PrintWriter out, MeshFaults.Applied applied) {
    out.println("faults: " + MeshTable.describeFaults(applied.state()));
    if (!applied.everywhere()) {
      out.println(
          "warning: not every sidecar acknowledged the change within "
              + MeshFaults.APPLY_TIMEOUT.toSeconds()
              + " s; `outrigger mesh status` shows which");
      return 1;
    }
    out.println("applied on every node in " + applied.took().toMillis() + " ms");
    return 0;
  }
}
