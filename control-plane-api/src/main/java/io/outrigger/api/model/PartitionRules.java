package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Checks and lookups shared by the HTTP and network partition filter configs. */
public final class PartitionRules {
  private PartitionRules() {}

  /** An immutable copy of {@code rules}, refused when two rules name the same peer. */
  public static List<PartitionRule> checked(List<PartitionRule> rules) {
    List<PartitionRule> copy = List.copyOf(requireNonNull(rules, "rules"));
    Set<String> peers = new HashSet<>();
    for (int i = 0; i < copy.size(); i++) {
      if (!peers.add(copy.get(i).peer())) {
        throw new IllegalArgumentException(
            "rules: rules["
                + i
                + "] names peer \""
                + copy.get(i).peer()
                + "\" again (expected: one rule per peer)");
      }
    }
    return copy;
  }

  /** The rule for {@code peer} (any case); empty when there is none. */
  public static Optional<PartitionRule> forPeer(List<PartitionRule> rules, String peer) {
    String p = peer.toLowerCase(Locale.ROOT);
    for (PartitionRule r : rules) {
      if (r.peer().equals(p)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
