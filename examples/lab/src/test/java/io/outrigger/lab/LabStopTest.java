package io.outrigger.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.lab.fake.FakeCluster;
import io.outrigger.lab.fake.FakeControlPlane;
import io.outrigger.lab.fake.FakeStore;
import io.outrigger.lab.history.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run asked to stop early heals, writes what it has and says it was interrupted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabStopTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  @TempDir Path dir;

  @Test
  void aStoppedRunHealsAndWritesAnInterruptedReportOfItsHistory() throws Exception {
    FakeCluster cluster = new FakeCluster(FakeCluster.Behaviour.CP, NODES);
    StopSignal stop = new StopSignal();
    try (FakeStore store = new FakeStore(cluster);
        FakeControlPlane controlPlane = new FakeControlPlane(cluster, System::nanoTime)) {
      LabOptions options =
          new LabOptions(
              "cp",
              "isolate-one",
              3,
              2,
              Duration.ofMinutes(10),
              Duration.ofMillis(300),
              Duration.ofMillis(500),
              5,
              dir);
      CompletableFuture<LabResult> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Lab.run(
                      new LabTarget(store.urls(), controlPlane.url()),
                      options,
                      LabClock.system(),
                      stop);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> controlPlane.changes().stream().anyMatch(r -> r.method().equals("POST")));
      assertThat(stop.requestStop()).isTrue();
      assertThat(stop.requestStop()).as("a second request changes nothing").isFalse();

      LabResult result = run.get(20, TimeUnit.SECONDS);

      assertThat(result.report().interrupted()).isTrue();
      assertThat(result.summary()).contains("INTERRUPTED");
      assertThat(result.report().clientOperations()).isNotEmpty();
      assertThat(result.report().history().operations())
          .as("no final reads after a stop")
          .noneMatch(op -> op.process() == Operation.FINAL_PROCESS);
      assertThat(controlPlane.changes())
          .last()
          .extracting(FakeControlPlane.Request::method)
          .isEqualTo("DELETE");
      JsonObject json =
          JsonParser.parseString(Files.readString(result.reportJson())).getAsJsonObject();
      assertThat(json.get("interrupted").getAsBoolean()).isTrue();
      assertThat(json.get("store").getAsString()).isEqualTo("kvstore");
      assertThat(Files.readString(result.reportHtml())).contains("class=\"interrupted\"");
    }
  }
}
