package io.outrigger.lab.leader;

import io.outrigger.lab.history.FaultWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the leader watch saw: every leadership (a leader in a term) in the order it was first seen,
 * how often the leader changed, and for each fault window how long the nodes took to agree on a new
 * leader after the fault was in force.
 *
 * <p>Times come from the polls, so each is late by up to one poll interval (plus one round trip).
 *
 * @param pollIntervalMillis how often every node was asked
 * @param leaderships each leader in each term, first seen first; terms only grow along the list
 * @param changes how many times the leader became a different node (a re-election of the same node
 *     in a later term is not a change)
 * @param windows one entry per fault window, in time order
 */
public record Elections(
    long pollIntervalMillis,
    List<LeaderTerm> leaderships,
    int changes,
    List<WindowElection> windows) {
  public Elections {
    leaderships = List.copyOf(leaderships);
    windows = List.copyOf(windows);
  }

  /**
   * A leader in a term.
   *
   * @param nanos when some node first reported it, since the run's start
   * @param seenBy that node
   */
  public record LeaderTerm(long nanos, String leader, long term, String seenBy) {}

  /**
   * The election a fault caused, if any.
   *
   * @param window the fault
   * @param inForceNanos when the fault was in force (requested, plus the time to apply it)
   * @param leaderBefore who led when it came in force; null if unknown
   * @param leaderCut whether that leader was on the minority side
   * @param newLeader the leader a strict majority of the nodes agreed on in a later term while the
   *     fault held; null if none did
   * @param electionNanos from in force to that agreement; -1 without a new leader
   */
  public record WindowElection(
      FaultWindow window,
      long inForceNanos,
      String leaderBefore,
      boolean leaderCut,
      String newLeader,
      long newTerm,
      long electionNanos) {}

  /** Analyses {@code observations} (in time order) against the fault windows. */
  public static Elections of(
      List<LeaderObservation> observations,
      List<FaultWindow> faults,
      List<String> nodes,
      long pollIntervalMillis) {
    List<LeaderTerm> leaderships = leaderships(observations);
    int changes = 0;
    for (int i = 1; i < leaderships.size(); i++) {
      if (!leaderships.get(i).leader().equals(leaderships.get(i - 1).leader())) {
        changes++;
      }
    }
    List<WindowElection> windows = new ArrayList<>();
    for (FaultWindow w : faults) {
      windows.add(election(w, observations, leaderships, nodes));
    }
    return new Elections(pollIntervalMillis, leaderships, changes, windows);
  }

  /** Every new (leader, term), in order; a node still reporting an older term is ignored. */
  static List<LeaderTerm> leaderships(List<LeaderObservation> observations) {
    List<LeaderTerm> out = new ArrayList<>();
    for (LeaderObservation o : observations) {
      if (o.leader() == null) {
        continue;
      }
      LeaderTerm last = out.isEmpty() ? null : out.get(out.size() - 1);
      boolean later =
          last == null
              || o.term() > last.term()
              || (o.term() < 0 && !o.leader().equals(last.leader()));
      if (later) {
        out.add(new LeaderTerm(o.nanos(), o.leader(), o.term(), o.node()));
      }
    }
    return out;
  }

  private static WindowElection election(
      FaultWindow w,
      List<LeaderObservation> observations,
      List<LeaderTerm> leaderships,
      List<String> nodes) {
    long inForce = w.inForceFromNanos();
    Optional<LeaderTerm> before =
        leaderships.stream().filter(l -> l.nanos() <= inForce).reduce((a, b) -> b);
    String oldLeader = before.map(LeaderTerm::leader).orElse(null);
    long oldTerm = before.map(LeaderTerm::term).orElse(Long.MIN_VALUE);
    boolean cut = oldLeader != null && "minority".equals(w.sides().get(oldLeader));
    Map<String, LeaderObservation> latest = new HashMap<>();
    for (LeaderObservation o : observations) {
      if (o.nanos() < inForce || o.nanos() > w.endNanos()) {
        continue;
      }
      latest.put(o.node(), o);
      Optional<LeaderObservation> agreed = majority(latest, nodes.size());
      if (agreed.isPresent() && isNew(agreed.get(), oldLeader, oldTerm)) {
        LeaderObservation a = agreed.get();
        return new WindowElection(
            w, inForce, oldLeader, cut, a.leader(), a.term(), o.nanos() - inForce);
      }
    }
    return new WindowElection(w, inForce, oldLeader, cut, null, -1, -1);
  }

  private static boolean isNew(LeaderObservation o, String oldLeader, long oldTerm) {
    return o.term() >= 0 ? o.term() > oldTerm : !Objects.equals(o.leader(), oldLeader);
  }

  /** The (leader, term) that more than half of all nodes report in their latest answers. */
  private static Optional<LeaderObservation> majority(
      Map<String, LeaderObservation> latest, int nodes) {
    Map<Map.Entry<String, Long>, Integer> votes = new HashMap<>();
    for (LeaderObservation o : latest.values()) {
      if (o.leader() != null) {
        if (votes.merge(Map.entry(o.leader(), o.term()), 1, Integer::sum) > nodes / 2) {
          return Optional.of(o);
        }
      }
    }
    return Optional.empty();
  }
}
