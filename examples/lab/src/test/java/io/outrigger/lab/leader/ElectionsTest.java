package io.outrigger.lab.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.history.FaultWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Leader changes and election times from scripted polls, in milliseconds of run time. */
class ElectionsTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private final List<LeaderObservation> polls = new ArrayList<>();

  private void poll(long ms, String node, String leader, long term) {
    polls.add(new LeaderObservation(ms * 1_000_000, node, leader, term));
  }

  private void everyone(long ms, String leader, long term) {
    NODES.forEach(n -> poll(ms, n, leader, term));
  }

  private static FaultWindow isolate(String description, String node, long fromMs, long toMs) {
    Map<String, String> sides = new java.util.HashMap<>();
    NODES.forEach(n -> sides.put(n, n.equals(node) ? "minority" : "majority"));
    return new FaultWindow(fromMs * 1_000_000, toMs * 1_000_000, description, sides, 50, 50);
  }

  @Test
  void measuresTheElectionFromTheCutToAMajorityNamingTheNewLeader() {
    everyone(100, "n1", 2);
    everyone(1_000, "n1", 2);
    everyone(1_100, "n1", 2); // the fault is in force at 1,050 ms; followers have not noticed
    poll(1_500, "n2", null, 3); // n2 campaigns
    poll(2_100, "n2", "n3", 3);
    poll(2_100, "n1", "n1", 2); // the old leader, cut off, still believes: an older term, ignored
    poll(2_200, "n3", "n3", 3); // now n2 and n3 agree: a majority
    everyone(6_000, "n3", 3);
    FaultWindow cut = isolate("isolate leader n1", "n1", 1_000, 5_000);

    Elections e = Elections.of(polls, List.of(cut), NODES, 100);

    assertThat(e.changes()).isEqualTo(1);
    assertThat(e.leaderships())
        .extracting(Elections.LeaderTerm::leader, Elections.LeaderTerm::term)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("n1", 2L),
            org.assertj.core.groups.Tuple.tuple("n3", 3L));
    Elections.WindowElection w = e.windows().get(0);
    assertThat(w.inForceNanos()).isEqualTo(1_050_000_000L);
    assertThat(w.leaderBefore()).isEqualTo("n1");
    assertThat(w.leaderCut()).isTrue();
    assertThat(w.newLeader()).isEqualTo("n3");
    assertThat(w.newTerm()).isEqualTo(3);
    assertThat(w.electionNanos()).isEqualTo(1_150_000_000L);
  }

  @Test
  void oneNodeNamingANewLeaderIsNotAMajority() {
    everyone(100, "n1", 2);
    poll(2_000, "n2", "n2", 3);
    poll(2_000, "n3", null, 3);
    Elections e =
        Elections.of(polls, List.of(isolate("isolate leader n1", "n1", 1_000, 5_000)), NODES, 100);

    assertThat(e.windows().get(0).newLeader()).isNull();
    assertThat(e.windows().get(0).electionNanos()).isEqualTo(-1);
    assertThat(e.changes()).as("n2 was seen leading term 3, even if alone").isEqualTo(1);
  }

  @Test
  void cuttingAFollowerCausesNoElection() {
    everyone(100, "n1", 2);
    everyone(1_500, "n1", 2);
    poll(1_600, "n3", null, 9); // the isolated follower campaigns alone
    Elections e =
        Elections.of(polls, List.of(isolate("isolate n3", "n3", 1_000, 3_000)), NODES, 100);

    Elections.WindowElection w = e.windows().get(0);
    assertThat(w.leaderBefore()).isEqualTo("n1");
    assertThat(w.leaderCut()).isFalse();
    assertThat(w.newLeader()).isNull();
    assertThat(e.changes()).isZero();
  }

  @Test
  void theSameNodeReElectedInALaterTermIsNotAChange() {
    everyone(100, "n1", 2);
    everyone(500, "n1", 4);
    everyone(900, "n2", 5);
    Elections e = Elections.of(polls, List.of(), NODES, 100);

    assertThat(e.leaderships()).hasSize(3);
    assertThat(e.changes()).isEqualTo(1);
  }

  @Test
  void pollsAfterTheHealDoNotCount() {
    everyone(100, "n1", 2);
    everyone(4_000, "n2", 3); // elected only after the heal at 3,000 ms
    Elections e =
        Elections.of(polls, List.of(isolate("isolate leader n1", "n1", 1_000, 3_000)), NODES, 100);

    assertThat(e.windows().get(0).newLeader()).isNull();
  }
}
