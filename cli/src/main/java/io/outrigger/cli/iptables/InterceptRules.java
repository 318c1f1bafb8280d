package io.outrigger.cli.iptables;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The nat-table rules that send a workload's TCP through its sidecar, as {@code iptables-restore
 * --noflush} input, and the input that removes them again. Pure: options and {@code iptables-save}
 * text in, text out; {@link Iptables} runs it.
 *
 * <p>Four chains of our own, reached by one jump each from the built-in chains:
 *
 * <ul>
 *   <li>{@code PREROUTING -p tcp -j OUTRIGGER_INBOUND}: inbound connections, minus the excluded
 *       ports and the proxy's own, go to {@code OUTRIGGER_IN_REDIRECT} (REDIRECT to the inbound
 *       port);
 *   <li>{@code OUTPUT -p tcp -j OUTRIGGER_OUTPUT}: outbound connections go to {@code
 *       OUTRIGGER_REDIRECT} (REDIRECT to the outbound port), except excluded ports, the proxy's own
 *       (by owner; no loops), loopback, and excluded or not-included destinations. The proxy's
 *       connections over {@code lo} to a non-loopback address (the workload calling its own address
 *       through the mesh) go to the inbound side, as Istio does.
 * </ul>
 *
 * <p>The order inside {@code OUTRIGGER_OUTPUT} is the contract: port exclusions first, then the
 * inbound passthrough's source ({@code 127.0.0.6}), then the owner rules, then loopback, then CIDR
 * exclusions before inclusions.
 */
public final class InterceptRules {
  /** The chain for inbound connections, jumped to from {@code PREROUTING}. */
  public static final String INBOUND = "OUTRIGGER_INBOUND";

  /** The chain that redirects to the inbound port. */
  public static final String IN_REDIRECT = "OUTRIGGER_IN_REDIRECT";

  /** The chain for outbound connections, jumped to from {@code OUTPUT}. */
  public static final String OUTPUT = "OUTRIGGER_OUTPUT";

  /** The chain that redirects to the outbound port. */
  public static final String REDIRECT = "OUTRIGGER_REDIRECT";

  /** Every chain of ours starts with this; nothing else in the table may. */
  public static final String PREFIX = "OUTRIGGER_";

  private static final String LOOPBACK = "127.0.0.0/8";

  /** The source address of an inbound passthrough cluster's connections, as in Istio. */
  public static final String INBOUND_PASSTHROUGH_SOURCE = "127.0.0.6/32";

  private InterceptRules() {}

  /** The {@code iptables-restore --noflush} input that installs the interception. */
  public static String install(InterceptOptions o) {
    List<String> lines = new ArrayList<>();
    lines.add("*nat");
    for (String chain : List.of(INBOUND, IN_REDIRECT, OUTPUT, REDIRECT)) {
      lines.add(":" + chain + " - [0:0]");
    }
    lines.add(append(IN_REDIRECT, "-p tcp -j REDIRECT --to-ports " + o.inboundPort()));
    lines.add(append(REDIRECT, "-p tcp -j REDIRECT --to-ports " + o.outboundPort()));
    lines.addAll(inbound(o));
    lines.addAll(outbound(o));
    lines.add(append("PREROUTING", "-p tcp -j " + INBOUND));
    lines.add(append("OUTPUT", "-p tcp -j " + OUTPUT));
    lines.add("COMMIT");
    return String.join("\n", lines) + "\n";
  }

  private static List<String> inbound(InterceptOptions o) {
    List<String> lines = new ArrayList<>();
    // A connection made to the proxy's ports on purpose is not redirected (to 15001 it would be
    // taken for inbound traffic).
    Set<String> ports = new LinkedHashSet<>();
    ports.add(Integer.toString(o.inboundPort()));
    ports.add(Integer.toString(o.outboundPort()));
    ports.addAll(o.excludeInboundPorts());
    for (String port : ports) {
      lines.add(append(INBOUND, "-p tcp --dport " + port + " -j RETURN"));
    }
    lines.add(append(INBOUND, "-p tcp -j " + IN_REDIRECT));
    return lines;
  }

  private static List<String> outbound(InterceptOptions o) {
    List<String> lines = new ArrayList<>();
    for (String port : o.excludeOutboundPorts()) {
      lines.add(append(OUTPUT, "-p tcp --dport " + port + " -j RETURN"));
    }
    // Istio's inbound passthrough connects from 127.0.0.6 to the workload's own address; without
    // this, that connection would be taken for the proxy calling the workload and sent inbound.
    lines.add(append(OUTPUT, "-o lo -s " + INBOUND_PASSTHROUGH_SOURCE + " -j RETURN"));
    lines.addAll(owner(o.proxyUid(), "--uid-owner"));
    lines.addAll(owner(o.proxyGid(), "--gid-owner"));
    lines.add(append(OUTPUT, "-d " + LOOPBACK + " -j RETURN"));
    for (String cidr : o.excludeOutboundCidrs()) {
      lines.add(append(OUTPUT, "-d " + cidr + " -j RETURN"));
    }
    if (o.includeOutboundCidrs().isEmpty()) {
      lines.add(append(OUTPUT, "-j " + REDIRECT));
    }
    for (String cidr : o.includeOutboundCidrs()) {
      lines.add(append(OUTPUT, "-d " + cidr + " -j " + REDIRECT));
    }
    return lines;
  }

  /**
   * The proxy's connections are never redirected, except those over {@code lo} to a non-loopback
   * address (the workload's own address): those are inbound traffic for the same workload. Other
   * connections over {@code lo} (the workload calling itself) stay direct.
   */
  private static List<String> owner(OptionalInt id, String match) {
    if (id.isEmpty()) {
      return List.of();
    }
    String owner = match + " " + id.getAsInt();
    return List.of(
        append(OUTPUT, "-o lo ! -d " + LOOPBACK + " -m owner " + owner + " -j " + IN_REDIRECT),
        append(OUTPUT, "-o lo -m owner ! " + owner + " -j RETURN"),
        append(OUTPUT, "-m owner " + owner + " -j RETURN"));
  }

  private static String append(String chain, String spec) {
    return "-A " + chain + " " + spec;
  }

  /** Whether {@code iptablesSave} (the nat table) holds any chain or jump of ours. */
  public static boolean installed(String iptablesSave) {
    return iptablesSave
        .lines()
        .anyMatch(l -> l.startsWith(":" + PREFIX) || l.startsWith("-A ") && jumpsToOurs(l));
  }

  /**
   * The {@code iptables-restore --noflush} input that removes every jump to our chains and then the
   * chains themselves, found in {@code iptablesSave} (the nat table); empty when nothing of ours is
   * there, so that a second cleanup is a no-op.
   */
  public static String cleanup(String iptablesSave) {
    List<String> jumps = new ArrayList<>();
    List<String> chains = new ArrayList<>();
    for (String line : iptablesSave.lines().toList()) {
      if (line.startsWith(":" + PREFIX)) {
        chains.add(line.substring(1, line.indexOf(' ')));
      } else if (line.startsWith("-A ") && !line.startsWith("-A " + PREFIX) && jumpsToOurs(line)) {
        jumps.add("-D " + line.substring(3));
      }
    }
    if (jumps.isEmpty() && chains.isEmpty()) {
      return "";
    }
    List<String> lines = new ArrayList<>();
    lines.add("*nat");
    lines.addAll(jumps);
    // Flush all before deleting any: our chains jump to each other.
    chains.forEach(c -> lines.add("-F " + c));
    chains.forEach(c -> lines.add("-X " + c));
    lines.add("COMMIT");
    return String.join("\n", lines) + "\n";
  }

  private static boolean jumpsToOurs(String rule) {
    return rule.contains(" -j " + PREFIX) || rule.contains(" -g " + PREFIX);
  }
}
