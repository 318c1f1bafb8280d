package io.outrigger.lab.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks a leader-based store who leads. Called from the nemesis thread ({@code isolate-leader}) and
 * from the lab's leader watch thread, concurrently; every call blocks for at most the adapter's
 * status timeout and never throws for what the store or the network does.
 */
public interface Leadership {
  /**
   * Every node's own view, asked of all nodes at once. A node that did not answer, or knows no
   * leader, has a view with a null {@code leader}.
   */
  Map<String, LeaderView> views();

  /**
   * The leader a strict majority of nodes agree on (same leader, same term), else empty. {@code
   * nodes} are all the nodes of the run.
   */
  static Optional<String> agreed(Map<String, LeaderView> views, List<String> nodes) {
    Map<Map.Entry<String, Long>, Long> votes = new HashMap<>();
    for (LeaderView v : views.values()) {
      if (v.leader() != null) {
        votes.merge(Map.entry(v.leader(), v.term()), 1L, Long::sum);
      }
    }
    return votes.entrySet().stream()
        .filter(e -> e.getValue() > nodes.size() / 2)
        .map(e -> e.getKey().getKey())
        .findFirst();
  }
}
