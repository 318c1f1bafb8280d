package io.outrigger.cli.intercept;

import io.outrigger.cli.netns.Netns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the built {@code bin/outrigger iptables} in a namespace and reads that namespace's rules.
 */
final class OutriggerIptables {
  static final Path HOME = Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();

  private OutriggerIptables() {}

  /** {@code bin/outrigger iptables ARGS} in {@code ns}, after {@code prefix} (e.g. setpriv). */
  static Netns.Result run(Netns ns, List<String> prefix, String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(HOME.resolve("bin/outrigger").toString());
    command.add("iptables");
    command.addAll(List.of(args));
    return ns.exec(command, null);
  }

  static Netns.Result run(Netns ns, String... args) {
    return run(ns, List.of(), args);
  }

  /**
   * {@code iptables-save -t nat} in {@code ns} without its timestamp comments, and with the packet
   * counters zeroed: the rules and chains only, which is what must come back unchanged.
   */
  static String natTable(Netns ns) {
    return ns.exec("iptables-save", "-t", "nat")
        .check()
        .out()
        .lines()
        .filter(l -> !l.startsWith("#"))
        .map(l -> l.replaceAll("\\[\\d+:\\d+]$", "[0:0]"))
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
