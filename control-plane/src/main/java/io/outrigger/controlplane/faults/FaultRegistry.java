package io.outrigger.controlplane.faults;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.PartitionRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The transitions of the fault state, as the HTTP API's {@code /v1/faults} asks for them. Every
 * change makes a new {@link FaultState} with the next version; a refused request changes nothing.
 * Node names are checked against the known nodes given with each request.
 *
 * <p>Thread-safe: every method is synchronized (the control plane also calls them under its own
 * lock, so that state and published snapshots change together).
 */
public final class FaultRegistry {
  private final java.util.function.Consumer<FaultState> keep;
  private FaultState state;

  /** Starts healed; changes are kept nowhere. */
  public FaultRegistry() {
    this(FaultState.INITIAL, s -> {});
  }

  /**
   * @param initial the state to start from (what a journal kept)
   * @param keep called with every new state before it is in force; when it throws, the change is
   *     refused and the old state stays
   */
  public FaultRegistry(FaultState initial, java.util.function.Consumer<FaultState> keep) {
    this.state = requireNonNull(initial, "initial");
    this.keep = requireNonNull(keep, "keep");
  }

  /** The faults in force. */
  public synchronized FaultState current() {
    return state;
  }

  /**
   * Replaces the state with {@code drop} both ways between every two nodes in different groups.
   * Nodes in no group are left alone.
   *
   * @throws IllegalArgumentException an unknown node, a node in two groups, fewer than two groups
   */
  public synchronized FaultState partition(List<List<String>> groups, Set<String> known) {
    requireNonNull(groups, "groups");
    if (groups.size() < 2) {
      throw new IllegalArgumentException(
          "groups: " + groups.size() + " group(s) (expected: at least 2)");
    }
    Map<String, Integer> groupOf = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (String node : groups.get(g)) {
        requireKnown(node, known);
        if (groupOf.putIfAbsent(node, g) != null) {
          throw new IllegalArgumentException(
              "groups: node \"" + node + "\" is in two groups (expected: each node once)");
        }
      }
    }
    List<LinkRule> links = new ArrayList<>();
    for (Map.Entry<String, Integer> a : groupOf.entrySet()) {
      for (Map.Entry<String, Integer> b : groupOf.entrySet()) {
        if (!a.getValue().equals(b.getValue())) {
          links.add(LinkRule.drop(a.getKey(), b.getKey()));
        }
      }
    }
    return replace(links);
  }

  /**
   * Replaces the state with {@code drop} both ways between {@code node} and every other known node.
   */
  public synchronized FaultState isolate(String node, Set<String> known) {
    requireKnown(node, known);
    List<LinkRule> links = new ArrayList<>();
    for (String other : new TreeSet<>(known)) {
      if (!other.equals(node)) {
        links.add(LinkRule.drop(node, other));
        links.add(LinkRule.drop(other, node));
      }
    }
    return replace(links);
  }

  /**
   * Adds {@code link}'s rule, or replaces the rule of that directed link; with {@code bothWays} the
   * same rule for the opposite direction too. Other links keep theirs.
   */
  public synchronized FaultState link(LinkRule link, boolean bothWays, Set<String> known) {
    requireNonNull(link, "link");
    requireKnown(link.from(), known);
    requireKnown(link.to(), known);
    List<LinkRule> added = new ArrayList<>();
    added.add(link);
    if (bothWays) {
      PartitionRule r = link.rule();
      added.add(
          new LinkRule(
              link.to(), new PartitionRule(link.from(), r.action(), r.delay(), r.fraction())));
    }
    List<LinkRule> links = new ArrayList<>();
    for (LinkRule existing : state.links()) {
      boolean replaced =
          added.stream()
              .anyMatch(a -> a.from().equals(existing.from()) && a.to().equals(existing.to()));
      if (!replaced) {
        links.add(existing);
      }
    }
    links.addAll(added);
    return replace(links);
  }

  /** Heals: no fault, a new version. */
  public synchronized FaultState heal() {
    return replace(List.of());
  }

  private FaultState replace(List<LinkRule> links) {
    FaultState next = new FaultState(state.version() + 1, links);
    keep.accept(next);
    state = next;
    return state;
  }

  private static void requireKnown(String node, Set<String> known) {
    requireNonNull(node, "node");
    if (!known.contains(node)) {
      throw new IllegalArgumentException(
          "unknown node \""
              + node
              + "\" (expected: one of "
              + new TreeSet<>(known)
              + ", a resource group or a connected proxy's node.cluster)");
    }
  }
}
