package io.outrigger.lab.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.StopSignal;
import io.outrigger.lab.fake.FakeCluster;
import io.outrigger.lab.fake.FakeControlPlane;
import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.HistoryRecorder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code isolate-leader} and stopping early, against the fake fault API. */
class LeaderNemesisTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private final FakeCluster cluster = new FakeCluster(FakeCluster.Behaviour.CP, NODES);
  private final HistoryRecorder recorder = new HistoryRecorder(System::nanoTime);
  private final StopSignal stop = new StopSignal();
  private FakeControlPlane controlPlane;

  @AfterEach
  void close() {
    controlPlane.close();
  }

  private Nemesis nemesis(NemesisKind kind, LeaderLookup leader, Duration interval)
      throws Exception {
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
        interval,
        Duration.ofSeconds(2),
        stop,
        leader);
  }

  @Test
  void isolatesTheNodeThatLeadsWhenTheFaultIsDrawn() throws Exception {
    AtomicReference<String> leader = new AtomicReference<>("n2");
    Nemesis nemesis =
        nemesis(
            NemesisKind.ISOLATE_LEADER,
            () -> Optional.ofNullable(leader.getAndSet("n3")),
            Duration.ofMillis(150));

    nemesis.run(Duration.ofMillis(700).toNanos()); // faults at 150 and 450 ms

    List<FakeControlPlane.Request> isolates =
        controlPlane.changes().stream().filter(r -> r.path().equals("/v1/faults/isolate")).toList();
    assertThat(isolates)
        .extracting(r -> r.body().get("node").getAsString())
        .containsExactly("n2", "n3");
    List<FaultWindow> windows = recorder.history().faults();
    assertThat(windows)
        .extracting(FaultWindow::description)
        .containsExactly("isolate leader n2", "isolate leader n3");
    assertThat(windows.get(0).sides())
        .containsEntry("n2", "minority")
        .containsEntry("n1", "majority");
    assertThat(nemesis.errors()).isEmpty();
  }

  @Test
  void noLeaderKnownMeansNoFaultThatIntervalAndSaysSo() throws Exception {
    Nemesis nemesis =
        nemesis(NemesisKind.ISOLATE_LEADER, LeaderLookup.none(), Duration.ofMillis(100));

    nemesis.run(Duration.ofMillis(450).toNanos());

    assertThat(controlPlane.changes())
        .extracting(FakeControlPlane.Request::method)
        .containsOnly("DELETE");
    assertThat(recorder.history().faults()).isEmpty();
    assertThat(nemesis.errors()).isNotEmpty().allMatch(e -> e.contains("no leader known"));
  }

  @Test
  void aStopEndsTheScheduleAfterHealingTheFaultInForce() throws Exception {
    Nemesis nemesis = nemesis(NemesisKind.ISOLATE_ONE, LeaderLookup.none(), Duration.ofMillis(200));
    long deadline = Duration.ofSeconds(60).toNanos();
    CompletableFuture<Void> run =
        CompletableFuture.runAsync(
            () -> {
              try {
                nemesis.run(deadline);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> controlPlane.changes().stream().anyMatch(r -> r.method().equals("POST")));
    stop.requestStop();

    run.get(5, TimeUnit.SECONDS);
    assertThat(controlPlane.changes())
        .last()
        .extracting(FakeControlPlane.Request::method)
        .isEqualTo("DELETE");
    assertThat(recorder.history().faults()).hasSize(1);
    assertThat(nemesis.healedAtNanos()).isLessThan(Duration.ofSeconds(10).toNanos());
    assertThat(
            cluster.linked("n1", "n2") && cluster.linked("n2", "n3") && cluster.linked("n1", "n3"))
        .isTrue();
  }
}
