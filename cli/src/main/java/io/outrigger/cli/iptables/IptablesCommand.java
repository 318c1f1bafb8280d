package io.outrigger.cli.iptables;

import io.outrigger.cli.Outrigger;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code outrigger iptables}: run once in a workload's network namespace (an init container, or by
 * hand with {@code ip netns exec}) to send its TCP through the sidecar; {@code --cleanup} removes
 * exactly that again. The rules are {@link InterceptRules}'; docs/interception.md explains them.
 *
 * <p>Exit status: 0 done; 1 iptables missing, no NET_ADMIN, rules already there, or iptables
 * refused; 2 bad options.
 */
@Command(
    name = "iptables",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Redirects a workload's inbound and outbound TCP to its sidecar with iptables (nat table,"
          + " chains OUTRIGGER_*), as istio-iptables and linkerd2-proxy-init do.",
      "Run it once in the workload's network namespace with NET_ADMIN; the sidecar runs as"
          + " --proxy-uid or --proxy-gid, whose connections are never redirected."
    })
public final class IptablesCommand implements Callable<Integer> {
  /** Exit status when iptables cannot be used or refuses. */
  static final int EXIT_FAILED = 1;

  @Option(
      names = "--inbound-port",
      paramLabel = "PORT",
      description = "Where inbound TCP goes (default: ${DEFAULT-VALUE}).")
  int inboundPort = InterceptOptions.DEFAULT_INBOUND_PORT;

  @Option(
      names = "--outbound-port",
      paramLabel = "PORT",
      description = "Where outbound TCP goes (default: ${DEFAULT-VALUE}).")
  int outboundPort = InterceptOptions.DEFAULT_OUTBOUND_PORT;

  @Option(
      names = "--proxy-uid",
      paramLabel = "UID",
      description = "The sidecar's user: its connections are never redirected.")
  Integer proxyUid;

  @Option(
      names = "--proxy-gid",
      paramLabel = "GID",
      description = "The sidecar's group: its connections are never redirected.")
  Integer proxyGid;

  @Option(
      names = "--exclude-inbound-ports",
      split = ",",
      paramLabel = "PORT",
      description = "Inbound ports that reach the workload directly (e.g. the admin port).")
  List<String> excludeInboundPorts = List.of();

  @Option(
      names = "--exclude-outbound-ports",
      split = ",",
      paramLabel = "PORT",
      description = "Destination ports that outbound connections reach directly.")
  List<String> excludeOutboundPorts = List.of();

  @Option(
      names = "--exclude-outbound-cidrs",
      split = ",",
      paramLabel = "CIDR",
      description = "IPv4 destinations that outbound connections reach directly.")
  List<String> excludeOutboundCidrs = List.of();

  @Option(
      names = "--include-outbound-cidrs",
      split = ",",
      paramLabel = "CIDR",
      description = "The only IPv4 destinations redirected (default: ${DEFAULT-VALUE}, all).")
  List<String> includeOutboundCidrs = List.of("*");

  @Option(
      names = "--dry-run",
      description = "Print the iptables-restore input instead of applying it.")
  boolean dryRun;

  @Option(
      names = "--cleanup",
      description = "Remove the jumps to OUTRIGGER_* chains and the chains; a no-op if none.")
  boolean cleanup;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return cleanup ? cleanup(Iptables.system()) : install(Iptables.system());
    } catch (IptablesException e) {
      spec.commandLine().getErr().println("outrigger iptables: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private int install(Iptables iptables) throws IptablesException {
    PrintWriter out = spec.commandLine().getOut();
    InterceptOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("outrigger iptables: " + e.getMessage());
      return Outrigger.EXIT_CONFIG;
    }
    String script = InterceptRules.install(options);
    if (dryRun) {
      out.print(script);
      out.flush();
      return 0;
    }
    iptables.checkNetAdmin();
    if (InterceptRules.installed(iptables.saveNat())) {
      throw new IptablesException(
          "OUTRIGGER_* rules exist already in the nat table; run `outrigger iptables --cleanup`"
              + " first");
    }
    iptables.restore(script);
    out.print(script);
    out.printf(
        "installed: inbound TCP to port %d, outbound TCP to port %d%n",
        options.inboundPort(), options.outboundPort());
    out.flush();
    return 0;
  }

  private int cleanup(Iptables iptables) throws IptablesException {
    PrintWriter out = spec.commandLine().getOut();
    iptables.checkNetAdmin();
    String script = InterceptRules.cleanup(iptables.saveNat());
    if (script.isEmpty()) {
      out.println("nothing to clean up: no OUTRIGGER_* chain or jump in the nat table");
    } else if (dryRun) {
      out.print(script);
    } else {
      iptables.restore(script);
      out.print(script);
      out.println("removed: every OUTRIGGER_* chain and the jumps to them");
    }
    out.flush();
    return 0;
  }

  private InterceptOptions options() {
    return new InterceptOptions(
        inboundPort,
        outboundPort,
        proxyUid == null ? OptionalInt.empty() : OptionalInt.of(proxyUid),
        proxyGid == null ? OptionalInt.empty() : OptionalInt.of(proxyGid),
        excludeInboundPorts,
        excludeOutboundPorts,
        excludeOutboundCidrs,
        includeOutboundCidrs);
  }
}
