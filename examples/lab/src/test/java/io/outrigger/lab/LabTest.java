package io.outrigger.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.lab.checker.Availability;
import io.outrigger.lab.checker.Validity;
import io.outrigger.lab.fake.FakeCluster;
import io.outrigger.lab.fake.FakeControlPlane;
import io.outrigger.lab.fake.FakeStore;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole lab runs (about two seconds each) against fake replicas and a fake control plane on
 * 127.0.0.1:0 that behave per the contract: a correct CP store, a deliberately unsafe one, and an
 * AP one.
 */
class LabTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  @TempDir Path dir;

  private LabResult run(FakeCluster.Behaviour behaviour, String mode, String nemesis, int keys)
      throws Exception {
    FakeCluster cluster = new FakeCluster(behaviour, NODES);
    try (FakeStore store = new FakeStore(cluster);
        FakeControlPlane controlPlane = new FakeControlPlane(cluster, System::nanoTime)) {
      LabOptions options =
          new LabOptions(
              mode,
              nemesis,
              4,
              keys,
              Duration.ofMillis(2_000),
              Duration.ofMillis(400),
              Duration.ofMillis(500),
              11,
              dir);
      return Lab.run(new LabTarget(store.urls(), controlPlane.url()), options);
    }
  }

  private JsonObject reportJson() throws Exception {
    return JsonParser.parseString(Files.readString(dir.resolve("report.json"))).getAsJsonObject();
  }

  @Test
  void correctCpStoreIsLinearizableAndItsMinorityUnavailable() throws Exception {
    LabResult result = run(FakeCluster.Behaviour.CP, "cp", "isolate-one", 3);

    assertThat(result.validity()).isEqualTo(Validity.VALID);
    List<Operation> ops = result.report().clientOperations();
    assertThat(ops).hasSizeGreaterThan(50);
    // Isolated replicas answer 503: reads fail, writes are indeterminate.
    assertThat(ops)
        .anyMatch(
            op -> op.isRead() && op.type() == Outcome.FAIL && op.error().contains("not-applied"));
    assertThat(ops)
        .anyMatch(
            op -> op.isWrite() && op.type() == Outcome.INFO && op.error().contains("unknown"));
    assertThat(ops).allMatch(op -> op.type() != Outcome.OK || op.replica() != null);
    List<Availability.WindowAvailability> windows = result.report().availability().windows();
    assertThat(windows).hasSizeBetween(1, 2);
    for (Availability.WindowAvailability w : windows) {
      assertThat(w.bySide().get("minority").value()).isLessThan(0.5);
      assertThat(w.bySide().get("majority").value()).isGreaterThan(0.9);
    }
    // Final reads of every key on every node joined the history.
    assertThat(result.report().history().operations())
        .filteredOn(op -> op.process() == Operation.FINAL_PROCESS)
        .hasSize(3 * NODES.size());

    JsonObject json = reportJson();
    assertThat(json.get("mode").getAsString()).isEqualTo("cp");
    assertThat(json.get("nemesis").getAsString()).isEqualTo("isolate-one");
    assertThat(json.get("valid").getAsBoolean()).isTrue();
    assertThat(json.get("linearizable").getAsBoolean()).isTrue();
    assertThat(json.getAsJsonObject("counts").get("info").getAsLong()).isPositive();
    assertThat(json.getAsJsonObject("availability").get("during_faults").getAsDouble())
        .isLessThan(1.0);
    assertThat(json.getAsJsonArray("faults")).hasSizeBetween(1, 2);
    assertThat(json.get("witness").isJsonNull()).isTrue();
    assertThat(Files.readString(dir.resolve("report.html"))).contains("VALID").contains("isolate ");
    List<String> events = Files.readAllLines(dir.resolve("history.jsonl"), StandardCharsets.UTF_8);
    assertThat(events)
        .hasSize(2 * result.report().history().operations().size() + 2 * windows.size());
    assertThat(events.get(0)).contains("\"type\":\"invoke\"");
  }

  @Test
  void unsafeStoreIsCaughtWithAWitnessInTheReport() throws Exception {
    LabResult result = run(FakeCluster.Behaviour.UNSAFE, "cp-unsafe", "isolate-one", 1);

    assertThat(result.validity()).isEqualTo(Validity.INVALID);
    JsonObject json = reportJson();
    assertThat(json.get("valid").getAsBoolean()).isFalse();
    assertThat(json.get("linearizable").getAsBoolean()).isFalse();
    JsonObject witness = json.getAsJsonObject("witness");
    assertThat(witness.getAsJsonArray("operations").size()).isBetween(1, 6);
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html).contains("INVALID").contains("Why it is not linearizable");
    String explanation = witness.get("explanation").getAsString();
    String escaped =
        explanation.replace("&", "&amp;").replace("\"", "&quot;").replace("'", "&#39;");
    assertThat(html).contains(escaped.replace("<", "&lt;").replace(">", "&gt;"));
    assertThat(html).contains("witness\"");
  }

  @Test
  void apStoreStaysAvailableAndConvergesAfterTheHeal() throws Exception {
    LabResult result = run(FakeCluster.Behaviour.AP, "ap", "halves", 2);

    assertThat(result.validity()).isEqualTo(Validity.VALID);
    assertThat(result.report().availability().overall().value()).isEqualTo(1.0);
    assertThat(result.report().convergence().converged()).isTrue();
    JsonObject json = reportJson();
    assertThat(json.get("converged").getAsBoolean()).isTrue();
    assertThat(json.get("convergence_ms").getAsLong()).isNotNegative();
    assertThat(json.has("stale_reads")).isTrue();
    assertThat(json.has("linearizable")).isFalse();
    assertThat(json.getAsJsonObject("final_reads").size()).isEqualTo(2);
    // Reads on the cut-off side miss writes made on the other: an AP store's stale reads.
    assertThat(json.get("stale_reads").getAsInt()).isPositive();
  }

  @Test
  void withoutANemesisNoControlPlaneIsNeeded() throws Exception {
    FakeCluster cluster = new FakeCluster(FakeCluster.Behaviour.CP, NODES);
    try (FakeStore store = new FakeStore(cluster)) {
      LabOptions options =
          new LabOptions(
              "cp",
              "none",
              2,
              2,
              Duration.ofMillis(500),
              Duration.ofMillis(200),
              Duration.ofMillis(500),
              5,
              dir);
      LabResult result = Lab.run(new LabTarget(store.urls(), null), options);
      assertThat(result.validity()).isEqualTo(Validity.VALID);
      assertThat(result.report().availability().overall().value()).isEqualTo(1.0);
      assertThat(result.report().history().faults()).isEmpty();
    }
  }

  @Test
  void aDeadReplicaDoesNotFloodTheHistory() throws Exception {
    FakeCluster cluster = new FakeCluster(FakeCluster.Behaviour.CP, NODES);
    int deadPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    try (FakeStore store = new FakeStore(cluster)) {
      java.util.Map<String, java.net.URI> urls = new java.util.TreeMap<>(store.urls());
      urls.put("n3", java.net.URI.create("http://127.0.0.1:" + deadPort));
      LabOptions options =
          new LabOptions(
              "cp",
              "none",
              2,
              2,
              Duration.ofMillis(1_000),
              Duration.ofMillis(200),
              Duration.ofMillis(500),
              5,
              dir);
      LabResult result = Lab.run(new LabTarget(urls, null), options);

      List<Operation> refused =
          result.report().clientOperations().stream().filter(op -> op.node().equals("n3")).toList();
      assertThat(refused).isNotEmpty().allMatch(op -> op.type() == Outcome.FAIL);
      // At most one refusal per client per 20 ms, give or take the edges.
      assertThat(refused).hasSizeLessThanOrEqualTo(2 * 1_000 / 20 + 10);
      assertThat(result.validity()).isEqualTo(Validity.VALID);
    }
  }
}
