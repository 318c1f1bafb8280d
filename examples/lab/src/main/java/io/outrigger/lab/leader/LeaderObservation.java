package io.outrigger.lab.leader;

import static java.util.Objects.requireNonNull;

/**
 * What one node said about the leader at one moment of the run.
 *
 * @param nanos when the answer arrived, nanoseconds since the run's start
 * @param node the node asked
 * @param leader the leader it follows, by lab node name; null when it knows none or did not answer
 * @param term its Raft term, -1 when unknown
 */
public record LeaderObservation(long nanos, String node, String leader, long term) {
  public LeaderObservation {
    requireNonNull(node, "node");
  }
}
