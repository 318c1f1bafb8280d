package io.outrigger.lab.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The nemeses of {@code --nemesis}: each draws the next fault at random from the node list.
 *
 * <ul>
 *   <li>{@code isolate-one}: one node cut off from all others.
 *   <li>{@code isolate-leader}: the node that leads right now (asked of the store, see {@link
 *       LeaderLookup}) cut off from all others; no fault for an interval in which no leader is
 *       known.
 *   <li>{@code halves}: a random split into a minority and a majority ({@code n/2} and the rest).
 *   <li>{@code bridge}: Jepsen's bridge: two halves that cannot see each other but both see one
 *       middle node; every node still reaches a majority, but the two halves' majorities differ.
 *   <li>{@code flaky-links}: a few random directed links that lose half their requests or add 200
 *       ms of delay.
 *   <li>{@code none}: no faults; a baseline.
 * </ul>
 */
public enum NemesisKind {
  ISOLATE_ONE,
  ISOLATE_LEADER,
  HALVES,
  BRIDGE,
  FLAKY_LINKS,
  NONE;

  /** The command-line name, e.g. {@code isolate-one}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a command-line name. */
  public static NemesisKind parse(String name) {
    for (NemesisKind k : values()) {
      if (k.wireName().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        ("nemesis: %s (expected: isolate-one, isolate-leader, halves, bridge, flaky-links or"
                + " none)")
            .formatted(name));
  }

  /** The next fault, or empty for {@link #NONE}. {@code nodes} has at least two names. */
  public Optional<Fault> next(List<String> nodes, RandomGenerator random) {
    return next(nodes, random, LeaderLookup.none());
  }

  /**
   * The next fault; empty for {@link #NONE}, and for {@link #ISOLATE_LEADER} when {@code leader}
   * knows no leader. {@code nodes} has at least two names.
   */
  public Optional<Fault> next(List<String> nodes, RandomGenerator random, LeaderLookup leader) {
    List<String> shuffled = shuffle(nodes, random);
    int n = shuffled.size();
    return switch (this) {
      case ISOLATE_ONE -> Optional.of(new Fault.Isolate(shuffled.get(0)));
      case ISOLATE_LEADER -> leader.leader().map(Fault.IsolateLeader::new);
      case HALVES ->
          Optional.of(
              new Fault.Partition(
                  List.of(sorted(shuffled.subList(0, n / 2)), sorted(shuffled.subList(n / 2, n)))));
      case BRIDGE -> Optional.of(bridge(shuffled));
      case FLAKY_LINKS -> Optional.of(flaky(shuffled, random));
      case NONE -> Optional.empty();
    };
  }

  private static Fault bridge(List<String> shuffled) {
    String middle = shuffled.get(0);
    List<String> rest = shuffled.subList(1, shuffled.size());
    List<String> left = sorted(rest.subList(0, rest.size() / 2));
    List<String> right = sorted(rest.subList(rest.size() / 2, rest.size()));
    List<Fault.LinkRule> rules = new ArrayList<>();
    for (String a : left) {
      for (String b : right) {
        rules.add(new Fault.LinkRule(a, b, "drop", null, null, true));
      }
    }
    String description =
        "bridge [%s] - %s - [%s]"
            .formatted(String.join(",", left), middle, String.join(",", right));
    return new Fault.Links(description, rules);
  }

  private static Fault flaky(List<String> nodes, RandomGenerator random) {
    int count = 1 + random.nextInt(nodes.size());
    List<Fault.LinkRule> rules = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String from = nodes.get(random.nextInt(nodes.size()));
      String to = nodes.get(random.nextInt(nodes.size()));
      if (from.equals(to) || seen.contains(from + ">" + to)) {
        continue;
      }
      seen.add(from + ">" + to);
      rules.add(
          random.nextBoolean()
              ? new Fault.LinkRule(from, to, "lose", null, 0.5, false)
              : new Fault.LinkRule(from, to, "delay", "200ms", null, false));
    }
    if (rules.isEmpty()) {
      rules.add(new Fault.LinkRule(nodes.get(0), nodes.get(1), "lose", null, 0.5, false));
    }
    List<String> described = rules.stream().map(Fault.LinkRule::describe).toList();
    return new Fault.Links("flaky " + String.join(", ", described), rules);
  }

  private static List<String> shuffle(List<String> nodes, RandomGenerator random) {
    List<String> out = new ArrayList<>(nodes.stream().sorted().toList());
    for (int i = out.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }

  private static List<String> sorted(List<String> nodes) {
    return nodes.stream().sorted().toList();
  }
}
