package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartStepsTest {
  @TempDir Path tmp;

  private MeshState mesh() {
    return new MeshState("cp", tmp.toString(), new MeshState.ControlPlane(1, 2, null), List.of());
  }

  private boolean recorded() {
    try {
      return MeshState.load(tmp).isPresent();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aStepAfterTheUndoIsRefusedAndNeverRuns() throws Exception {
    StartSteps steps = new StartSteps();
    List<String> ran = new CopyOnWriteArrayList<>();
    steps.undo(() -> ran.add("undo"));

    assertThatThrownBy(
            () ->
                steps.record(
                    mesh(),
                    m -> {
                      ran.add("step");
                      return m;
                    }))
        .isInstanceOf(MeshException.class)
        .hasMessageContaining("interrupted");
    assertThat(ran).containsExactly("undo");
    assertThat(MeshState.load(tmp)).isEmpty();
  }

  @Test
  void theUndoWaitsForTheStepUnderWayAndItsRecord() throws Exception {
    StartSteps steps = new StartSteps();
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch inStep = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<MeshState> step =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return steps.record(
                    mesh(),
                    m -> {
                      inStep.countDown();
                      await().atMost(Duration.ofSeconds(10)).until(() -> release.getCount() == 0);
                      ran.add("step");
                      return m;
                    });
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
    Thread undo = new Thread(() -> steps.undo(() -> ran.add("undo, record there: " + recorded())));
    undo.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> undo.getState() == Thread.State.BLOCKED);

    release.countDown();
    step.get(10, TimeUnit.SECONDS);
    undo.join(10_000);

    assertThat(ran).containsExactly("step", "undo, record there: true");
  }
}
