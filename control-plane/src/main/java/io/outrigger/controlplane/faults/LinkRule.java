package io.outrigger.controlplane.faults;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.PartitionRule;

/**
 * A fault on one directed link: traffic from node {@code from} to node {@code to} suffers {@code
 * rule} (whose {@code peer} is {@code to}). Enforced in {@code from}'s sidecar.
 *
 * @param from the node whose sidecar applies the rule; not empty
 * @param rule what happens to that traffic; its peer is the link's {@code to}
 */
public record LinkRule(String from, PartitionRule rule) {
  public LinkRule {
    requireNonNull(from, "from");
    requireNonNull(rule, "rule");
    if (from.isEmpty()) {
      throw new IllegalArgumentException("from: empty (expected: a node name)");
    }
    if (from.equals(rule.peer())) {
      throw new IllegalArgumentException(
          "to: \"" + rule.peer() + "\" (expected: a node other than from)");
    }
  }

  /** The node the traffic goes to. */
  public String to() {
    return rule.peer();
  }

  /** A {@code drop} from {@code from} to {@code to}. */
  public static LinkRule drop(String from, String to) {
    return new LinkRule(from, PartitionRule.of(to, PartitionRule.Action.DROP));
  }
}
