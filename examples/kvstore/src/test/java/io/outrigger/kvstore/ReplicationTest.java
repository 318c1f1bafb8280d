package io.outrigger.kvstore;

import static io.outrigger.kvstore.TestCluster.json;
import static io.outrigger.kvstore.TestCluster.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three replicas joined by links that the tests cut and heal. */
class ReplicationTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration ANTI_ENTROPY = Duration.ofMillis(100);

  @TempDir Path dir;
  private TestCluster cluster;

  @AfterEach
  void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(Mode mode) throws IOException {
    cluster = new TestCluster(3, mode, dir, TIMEOUT, ANTI_ENTROPY);
  }

  @Test
  void cpWriteOnOneReplicaIsReadOnAnother() throws IOException {
    start(Mode.CP);
    HttpResponse<String> put = cluster.put("n1", "k", "v1");
    assertThat(put.statusCode()).isEqualTo(200);
    HttpResponse<String> get = cluster.get("n2", "k");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(value(get)).isEqualTo("v1");
    assertThat(json(get).get("replica").getAsString()).isEqualTo("n2");
    assertThat(json(get).getAsJsonObject("version").get("replica").getAsString()).isEqualTo("n1");
    await().untilAsserted(() -> assertThat(value(cluster.getLocal("n3", "k"))).isEqualTo("v1"));
    // a second writer's tag is larger than the first's
    cluster.put("n3", "k", "v2");
    assertThat(value(cluster.get("n1", "k"))).isEqualTo("v2");
  }

  @Test
  void cpMinorityAnswersNoQuorumAndTheMajorityGoesOn() throws IOException {
    start(Mode.CP);
    cluster.put("n1", "k", "before");
    cluster.isolate("n1");

    HttpResponse<String> put = cluster.put("n1", "k", "lost");
    assertThat(put.statusCode()).isEqualTo(503);
    JsonObject o = json(put);
    assertThat(o.get("error").getAsString()).isEqualTo("no quorum");
    assertThat(o.get("outcome").getAsString()).isEqualTo("not-applied");
    assertThat(o.get("acks").getAsInt()).isEqualTo(1);
    assertThat(o.get("needed").getAsInt()).isEqualTo(2);
    assertThat(put.headers().firstValue("X-Outrigger-Outcome")).hasValue("not-applied");
    HttpResponse<String> get = cluster.get("n1", "k");
    assertThat(get.statusCode()).isEqualTo(503);
    assertThat(json(get).get("outcome").getAsString()).isEqualTo("not-applied");

    assertThat(cluster.put("n2", "k", "after").statusCode()).isEqualTo(200);
    assertThat(value(cluster.get("n3", "k"))).isEqualTo("after");
    HttpResponse<String> stale = cluster.getLocal("n1", "k");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(value(stale)).isEqualTo("before");

    cluster.heal();
    assertThat(value(cluster.get("n1", "k"))).isEqualTo("after");
    await().untilAsserted(() -> assertThat(value(cluster.getLocal("n1", "k"))).isEqualTo("after"));
  }

  @Test
  void cpPeersThatNeverAnswerCostTheRequestTimeout() throws IOException {
    start(Mode.CP);
    cluster.blackholeFrom("n1");
    long start = System.nanoTime();
    HttpResponse<String> put = cluster.put("n1", "k", "v");
    long elapsed = System.nanoTime() - start;
    assertThat(put.statusCode()).isEqualTo(503);
    assertThat(json(put).get("outcome").getAsString()).isEqualTo("not-applied");
    assertThat(elapsed).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
    // the other replicas never saw it
    assertThat(cluster.getLocal("n2", "k").statusCode()).isEqualTo(404);
  }

  @Test
  void cpUnsafeReadsAreLocalAndMayBeStale() throws IOException {
    start(Mode.CP_UNSAFE);
    cluster.put("n2", "k", "before");
    await().untilAsserted(() -> assertThat(value(cluster.getLocal("n1", "k"))).isEqualTo("before"));
    cluster.isolate("n1");
    assertThat(cluster.put("n2", "k", "after").statusCode()).isEqualTo(200);
    HttpResponse<String> stale = cluster.get("n1", "k");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(value(stale)).isEqualTo("before");
    assertThat(cluster.put("n1", "k", "x").statusCode()).isEqualTo(503);
  }

  @Test
  void apBothSidesAcceptDuringAPartitionAndConvergeAfterTheHeal() throws IOException {
    start(Mode.AP);
    cluster.partition(Set.of("n1"));
    HttpResponse<String> a = cluster.put("n1", "k", "from-n1");
    HttpResponse<String> b = cluster.put("n2", "k", "from-n2");
    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(b.statusCode()).isEqualTo(200);
    assertThat(value(cluster.get("n1", "k"))).isEqualTo("from-n1");
    await().untilAsserted(() -> assertThat(value(cluster.get("n3", "k"))).isEqualTo("from-n2"));
    cluster.put("n1", "only-n1", "x");

    cluster.heal();
    // last writer wins on (time, replica): both chose time 1, so n2's tag is the larger
    await()
        .untilAsserted(
            () -> {
              for (String n : List.of("n1", "n2", "n3")) {
                assertThat(value(cluster.get(n, "k"))).isEqualTo("from-n2");
                assertThat(value(cluster.get(n, "only-n1"))).isEqualTo("x");
              }
            });
  }

  @Test
  void apDeletesWinOverOlderWritesAfterAHeal() throws IOException {
    start(Mode.AP);
    cluster.put("n1", "k", "v");
    await().untilAsserted(() -> assertThat(cluster.get("n3", "k").statusCode()).isEqualTo(200));
    cluster.isolate("n3");
    assertThat(cluster.delete("n1", "k").statusCode()).isEqualTo(200);
    assertThat(cluster.get("n3", "k").statusCode()).isEqualTo(200);
    cluster.heal();
    await()
        .untilAsserted(
            () -> {
              HttpResponse<String> r = cluster.get("n3", "k");
              assertThat(r.statusCode()).isEqualTo(404);
              assertThat(json(r).get("deleted").getAsBoolean()).isTrue();
            });
  }

  @Test
  void apHintsAloneRepairAReplicaAfterTheHeal() throws IOException {
    cluster = new TestCluster(3, Mode.AP, dir, TIMEOUT, Duration.ZERO); // no anti-entropy
    cluster.isolate("n3");
    assertThat(cluster.put("n1", "k", "while-cut").statusCode()).isEqualTo(200);
    assertThat(cluster.delete("n2", "gone").statusCode()).isEqualTo(200);
    assertThat(cluster.getLocal("n3", "k").statusCode()).isEqualTo(404);
    cluster.heal();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(value(cluster.get("n3", "k"))).isEqualTo("while-cut");
              assertThat(json(cluster.get("n3", "gone")).get("deleted").getAsBoolean()).isTrue();
            });
  }

  @Test
  void antiEntropyCarriesEntriesThatOnlyOneReplicaHolds() throws IOException {
    start(Mode.AP);
    List<Versioned> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      entries.add(new Versioned("key-" + i, ("v" + i).getBytes(), new Version(i + 1, "n1")));
    }
    // Straight into n1's storage: no replication, no hints; only anti-entropy can spread them.
    HttpResponse<String> applied =
        cluster.send(
            "n1",
            "POST",
            "/internal/apply",
            new String(Wire.entries(entries), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(json(applied).get("applied").getAsInt()).isEqualTo(50);
    await()
        .untilAsserted(
            () -> {
              for (String n : List.of("n2", "n3")) {
                assertThat(
                        json(cluster.send(n, "GET", "/kv?prefix=key-", null))
                            .getAsJsonArray("items"))
                    .hasSize(50);
              }
            });
    assertThat(value(cluster.get("n3", "key-7"))).isEqualTo("v7");
  }

  @Test
  void acknowledgedWritesSurviveARestart() throws IOException {
    start(Mode.CP);
    cluster.put("n1", "k", "durable");
    await()
        .untilAsserted(() -> assertThat(value(cluster.getLocal("n2", "k"))).isEqualTo("durable"));
    cluster.restart("n2");
    HttpResponse<String> r = cluster.getLocal("n2", "k");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(value(r)).isEqualTo("durable");
  }
}
