package io.outrigger.lab.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.fake.FakeCluster;
import io.outrigger.lab.fake.FakeControlPlane;
import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.HistoryRecorder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The nemesis against a fake control plane on 127.0.0.1:0, on a compressed schedule. */
class NemesisTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private final FakeCluster cluster = new FakeCluster(FakeCluster.Behaviour.CP, NODES);
  private final HistoryRecorder recorder = new HistoryRecorder(System::nanoTime);
  private FakeControlPlane controlPlane;

  @AfterEach
  void stop() {
    controlPlane.close();
  }

  private Nemesis nemesis(NemesisKind kind) throws Exception {
    controlPlane = new FakeControlPlane(cluster, recorder::now);
    ControlPlaneClient client =
        new ControlPlaneClient(
            HttpClient.newHttpClient(), controlPlane.url(), Duration.ofSeconds(2));
    return new Nemesis(
        client,
        kind,
        NODES,
        new SplittableRandom(1),
        recorder,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)),
        Duration.ofMillis(200),
        Duration.ofSeconds(2));
  }

  @Test
  void isolatesAndHealsOnScheduleAndRecordsTheWindows() throws Exception {
    Nemesis nemesis = nemesis(NemesisKind.ISOLATE_ONE);
    long deadline = Duration.ofMillis(1_000).toNanos();
    nemesis.run(deadline);

    List<FakeControlPlane.Request> changes = controlPlane.changes();
    assertThat(changes)
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "POST /v1/faults/isolate",
            "DELETE /v1/faults",
            "POST /v1/faults/isolate",
            "DELETE /v1/faults",
            "DELETE /v1/faults");
    // Faults start after one healthy interval and last one interval.
    assertThat(changes.get(0).nanos()).isBetween(ms(200), ms(500));
    assertThat(changes.get(1).nanos()).isBetween(ms(400), ms(750));
    assertThat(changes.get(2).nanos()).isBetween(ms(600), ms(950));
    assertThat(changes.get(4).nanos()).isGreaterThanOrEqualTo(deadline);

    List<FaultWindow> windows = recorder.history().faults();
    assertThat(windows).hasSize(2);
    FaultWindow first = windows.get(0);
    String isolated = changes.get(0).body().get("node").getAsString();
    assertThat(first.description()).isEqualTo("isolate " + isolated);
    assertThat(first.sides()).containsEntry(isolated, "minority").hasSize(3);
    assertThat(first.sides().values()).containsOnly("minority", "majority");
    // The fake ACKs on the second poll only, so the nemesis must have polled, and said how long.
    assertThat(first.applyMillis()).isGreaterThanOrEqualTo(0);
    assertThat(controlPlane.requests().stream().filter(r -> r.method().equals("GET")).count())
        .isGreaterThanOrEqualTo(10);
    assertThat(first.startNanos()).isLessThanOrEqualTo(changes.get(0).nanos());
    assertThat(first.endNanos()).isGreaterThan(changes.get(1).nanos());
    assertThat(nemesis.healedAtNanos()).isGreaterThan(changes.get(4).nanos());
    assertThat(nemesis.errors()).isEmpty();
    assertThat(
            cluster.linked("n1", "n2") && cluster.linked("n2", "n3") && cluster.linked("n1", "n3"))
        .isTrue();
  }

  @Test
  void halvesSplitIntoMinorityAndMajority() throws Exception {
    nemesis(NemesisKind.HALVES).run(ms(450));
    FakeControlPlane.Request post = controlPlane.changes().get(0);
    assertThat(post.path()).isEqualTo("/v1/faults/partition");
    List<Integer> sizes = new java.util.ArrayList<>();
    post.body().getAsJsonArray("groups").forEach(g -> sizes.add(g.getAsJsonArray().size()));
    assertThat(sizes).containsExactly(1, 2);
    Map<String, String> sides = recorder.history().faults().get(0).sides();
    assertThat(sides.values()).containsExactlyInAnyOrder("minority", "majority", "majority");
  }

  @Test
  void bridgeCutsTheHalvesButNotTheMiddle() throws Exception {
    nemesis(NemesisKind.BRIDGE).run(ms(450));
    List<FakeControlPlane.Request> changes = controlPlane.changes();
    // A heal first (links add up), then one rule both ways between the two single-node halves.
    assertThat(changes)
        .extracting(FakeControlPlane.Request::path)
        .startsWith("/v1/faults", "/v1/faults/link");
    FakeControlPlane.Request rule = changes.get(1);
    assertThat(rule.body().get("action").getAsString()).isEqualTo("drop");
    assertThat(rule.body().get("both_ways").getAsBoolean()).isTrue();
    FaultWindow w = recorder.history().faults().get(0);
    assertThat(w.description()).startsWith("bridge [");
    // With three nodes every node still sees a majority (itself and the middle).
    assertThat(w.sides().values()).containsOnly("majority");
  }

  @Test
  void flakyLinksLoseOrDelayOneWay() throws Exception {
    nemesis(NemesisKind.FLAKY_LINKS).run(ms(450));
    List<FakeControlPlane.Request> rules =
        controlPlane.changes().stream().filter(r -> r.path().equals("/v1/faults/link")).toList();
    assertThat(rules).isNotEmpty();
    rules.forEach(
        r -> {
          String action = r.body().get("action").getAsString();
          assertThat(action).isIn("lose", "delay");
          if (action.equals("lose")) {
            assertThat(r.body().get("fraction").getAsDouble()).isEqualTo(0.5);
          } else {
            assertThat(r.body().get("delay").getAsString()).isEqualTo("200ms");
          }
          assertThat(r.body().get("both_ways").getAsBoolean()).isFalse();
        });
    assertThat(recorder.history().faults().get(0).sides()).isEmpty();
  }

  @Test
  void aRefusedFaultIsReportedAndTheRunStillHeals() throws Exception {
    controlPlane = new FakeControlPlane(cluster, recorder::now);
    ControlPlaneClient client =
        new ControlPlaneClient(
            HttpClient.newHttpClient(), controlPlane.url(), Duration.ofSeconds(2));
    // The nemesis knows a node the control plane does not: the control plane answers 400.
    Nemesis nemesis =
        new Nemesis(
            client,
            NemesisKind.ISOLATE_ONE,
            List.of("n1", "n9"),
            new SplittableRandom(3),
            recorder,
            nanos -> Thread.sleep(nanos / 1_000_000),
            Duration.ofMillis(100),
            Duration.ofMillis(500));
    nemesis.run(ms(250));
    assertThat(nemesis.errors()).anySatisfy(e -> assertThat(e).contains("400"));
    assertThat(controlPlane.changes())
        .last()
        .extracting(FakeControlPlane.Request::method)
        .isEqualTo("DELETE");
  }

  @Test
  void noneTouchesNothing() throws Exception {
    Nemesis nemesis =
        new Nemesis(
            null,
            NemesisKind.NONE,
            NODES,
            new SplittableRandom(1),
            recorder,
            nanos -> Thread.sleep(nanos / 1_000_000),
            Duration.ofMillis(100),
            Duration.ofSeconds(1));
    controlPlane = new FakeControlPlane(cluster, recorder::now);
    nemesis.run(ms(250));
    assertThat(controlPlane.requests()).isEmpty();
    assertThat(recorder.history().faults()).isEmpty();
    assertThat(nemesis.healedAtNanos()).isGreaterThanOrEqualTo(ms(250));
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }
}
