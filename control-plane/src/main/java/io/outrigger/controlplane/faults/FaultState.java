package io.outrigger.controlplane.faults;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.PartitionRule;
import java.util.Comparator;
import java.util.List;

/**
 * The faults in force: a version that grows with every change (heals included), and the directed
 * links with their rules, sorted by {@code from} then {@code to}, at most one per link.
 *
 * @param version 0 before the first change
 * @param links the faulty links; empty when healed
 */
public record FaultState(long version, List<LinkRule> links) {
  /** No fault, version 0. */
  public static final FaultState INITIAL = new FaultState(0, List.of());

  public FaultState {
    if (version < 0) {
      throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
    }
    links =
        requireNonNull(links, "links").stream()
            .sorted(Comparator.comparing(LinkRule::from).thenComparing(LinkRule::to))
            .toList();
    for (int i = 1; i < links.size(); i++) {
      LinkRule a = links.get(i - 1);
      LinkRule b = links.get(i);
      if (a.from().equals(b.from()) && a.to().equals(b.to())) {
        throw new IllegalArgumentException(
            "links: " + a.from() + " -> " + a.to() + " twice (expected: one rule per link)");
      }
    }
  }

  /** The rules {@code node}'s sidecar enforces: those of the links that start at it. */
  public List<PartitionRule> rulesFrom(String node) {
    return links.stream().filter(l -> l.from().equals(node)).map(LinkRule::rule).toList();
  }
}
