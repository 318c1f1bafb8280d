package io.outrigger.kvstore;

import static io.outrigger.kvstore.TestCluster.json;
import static io.outrigger.kvstore.TestCluster.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent writers on every replica of a cp store, and what linearizability demands of them. */
class ConcurrentCpTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  @TempDir Path dir;
  private TestCluster cluster;
  private final ExecutorService clients = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() throws IOException {
    clients.shutdownNow();
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Version version(HttpResponse<String> r) {
    JsonObject v = json(r).getAsJsonObject("version");
    return new Version(v.get("time").getAsLong(), v.get("replica").getAsString());
  }

  @Test
  void readsNeverGoBackAndTheLastStateIsTheLargestAcknowledgedWrite() throws Exception {
    cluster = new TestCluster(3, Mode.CP, dir, Duration.ofSeconds(2), Duration.ofMillis(200));
    cluster.put("n1", "c", "initial");
    ConcurrentLinkedQueue<HttpResponse<String>> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (String node : NODES) {
      writers.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 15; i++) {
                  HttpResponse<String> r = cluster.put(node, "c", node + "-" + i);
                  assertThat(r.statusCode()).isEqualTo(200);
                  acknowledged.add(r);
                }
              },
              clients));
    }
    CompletableFuture<List<Version>> reader =
        CompletableFuture.supplyAsync(
            () -> {
              List<Version> seen = new ArrayList<>();
              for (int i = 0; writing.get() || i < 3; i++) {
                HttpResponse<String> r = cluster.get(NODES.get(i % 3), "c");
                assertThat(r.statusCode()).isEqualTo(200);
                seen.add(version(r));
              }
              return seen;
            },
            clients);
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
    writing.set(false);
    List<Version> seen = reader.get();

    // Each read started after the previous one ended: a linearizable store never goes back.
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)).isGreaterThanOrEqualTo(seen.get(i - 1));
    }
    HttpResponse<String> largest =
        acknowledged.stream().max((a, b) -> version(a).compareTo(version(b))).orElseThrow();
    for (String node : NODES) {
      HttpResponse<String> r = cluster.get(node, "c");
      assertThat(version(r)).isEqualTo(version(largest));
      assertThat(value(r)).isEqualTo(value(largest));
    }
    assertThat(acknowledged).hasSize(45);
  }
}
