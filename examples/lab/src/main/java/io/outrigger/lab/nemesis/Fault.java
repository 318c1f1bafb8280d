package io.outrigger.lab.nemesis;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One fault the nemesis puts in force through the control plane's fault API. */
public sealed interface Fault {
  /** A short human form for the report, e.g. {@code isolate n2}. */
  String description();

  /**
   * The directed links this fault cuts completely ({@code drop}), as {@code from -> to}; the basis
   * of {@link #sides}.
   */
  Set<Link> cutLinks(List<String> nodes);

  /**
   * Each node's side while the fault holds: {@code majority} when it still reaches a strict
   * majority of {@code nodes} (itself included) in both directions, else {@code minority}. Empty
   * for faults that cut nothing completely.
   */
  default Map<String, String> sides(List<String> nodes) {
    Set<Link> cut = cutLinks(nodes);
    if (cut.isEmpty()) {
      return Map.of();
    }
    Map<String, String> sides = new HashMap<>();
    for (String n : nodes) {
      long reach =
          nodes.stream()
              .filter(
                  m ->
                      m.equals(n)
                          || (!cut.contains(new Link(n, m)) && !cut.contains(new Link(m, n))))
              .count();
      sides.put(n, reach > nodes.size() / 2 ? "majority" : "minority");
    }
    return sides;
  }

  /** A directed link between two nodes. */
  record Link(String from, String to) {}

  /** {@code POST /v1/faults/partition}: drop both ways between nodes of different groups. */
  record Partition(List<List<String>> groups) implements Fault {
    public Partition {
      groups = groups.stream().map(List::copyOf).toList();
    }

    @Override
    public String description() {
      List<String> parts = new ArrayList<>();
      groups.forEach(g -> parts.add("[" + String.join(",", g) + "]"));
      return "partition " + String.join(" | ", parts);
    }

    @Override
    public Set<Link> cutLinks(List<String> nodes) {
      Set<Link> cut = new HashSet<>();
      for (List<String> a : groups) {
        for (List<String> b : groups) {
          if (a != b) {
            a.forEach(x -> b.forEach(y -> cut.add(new Link(x, y))));
          }
        }
      }
      return cut;
    }
  }

  /** {@code POST /v1/faults/isolate}: drop both ways between the node and every other node. */
  record Isolate(String node) implements Fault {
    public Isolate {
      requireNonNull(node, "node");
    }

    @Override
    public String description() {
      return "isolate " + node;
    }

    @Override
    public Set<Link> cutLinks(List<String> nodes) {
      Set<Link> cut = new HashSet<>();
      nodes.stream()
          .filter(n -> !n.equals(node))
          .forEach(
              n -> {
                cut.add(new Link(node, n));
                cut.add(new Link(n, node));
              });
      return cut;
    }
  }

  /**
   * {@code POST /v1/faults/isolate} of the node that led when the fault was drawn ({@code
   * isolate-leader}): the same cut as {@link Isolate}, named apart so that the report says the
   * leader was cut.
   */
  record IsolateLeader(String node) implements Fault {
    public IsolateLeader {
      requireNonNull(node, "node");
    }

    @Override
    public String description() {
      return "isolate leader " + node;
    }

    @Override
    public Set<Link> cutLinks(List<String> nodes) {
      return new Isolate(node).cutLinks(nodes);
    }
  }

  /**
   * A set of {@code POST /v1/faults/link} rules, sent one by one after a heal.
   *
   * @param description how the report names it (bridge, flaky links)
   */
  record Links(String description, List<LinkRule> rules) implements Fault {
    public Links {
      requireNonNull(description, "description");
      rules = List.copyOf(rules);
    }

    @Override
    public Set<Link> cutLinks(List<String> nodes) {
      Set<Link> cut = new HashSet<>();
      for (LinkRule r : rules) {
        if (r.action().equals("drop")) {
          cut.add(new Link(r.from(), r.to()));
          if (r.bothWays()) {
            cut.add(new Link(r.to(), r.from()));
          }
        }
      }
      return cut;
    }
  }

  /**
   * One link rule as the control plane takes it.
   *
   * @param action drop, refuse, reset, delay or lose
   * @param delay for delay, e.g. {@code 200ms}; null otherwise
   * @param fraction for lose (and optionally delay), 0..1; null for always
   */
  record LinkRule(
      String from, String to, String action, String delay, Double fraction, boolean bothWays) {
    public LinkRule {
      requireNonNull(from, "from");
      requireNonNull(to, "to");
      requireNonNull(action, "action");
    }

    /** The short form for descriptions: {@code n1->n2 lose 0.5}. */
    public String describe() {
      String arrow = bothWays ? "<->" : "->";
      String how =
          action + (delay == null ? "" : " " + delay) + (fraction == null ? "" : " " + fraction);
      return from + arrow + to + " " + how;
    }
  }
}
