package io.outrigger.cli.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.cli.SidecarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overload manager in the built sidecar: concurrent large uploads into an upstream that does
 * not read them (its sockets' receive buffers are small, so the bytes stay in the sidecar) pile up
 * in the sidecar's direct memory, each up to its connection's 1 MiB buffer limit; past the
 * configured pressure new requests get fast 503s with {@code x-envoy-overloaded}, the sidecar does
 * not die, and once the upstream reads again and the load is gone it serves normally again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OverloadProcessIT {
  private static final int UPLOADS = 40;
  private static final int UPLOAD_BYTES = 4 << 20;

  @TempDir Path tmp;
  private final CountDownLatch release = new CountDownLatch(1);
  private StalledUpstream upstream;
  private SidecarProcess sidecar;
  private int listen;

  @BeforeEach
  void start() throws Exception {
    upstream = new StalledUpstream(release);
    listen = SidecarProcess.freePort();
    int admin = SidecarProcess.freePort();
    sidecar =
        SidecarProcess.start(
            tmp,
            bootstrap(admin, listen, upstream.port()),
            admin,
            "-Xmx64m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError");
  }

  private static String bootstrap(int admin, int listen, int upstream) {
    return SidecarProcess.httpBootstrap(
        admin,
        listen,
        upstream,
        """
        overload_manager:
          refresh_interval: 0.1s
          resource_monitors:
          - name: envoy.resource_monitors.fixed_heap
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig
              max_heap_size_bytes: 67108864
          actions:
          - name: envoy.overload_actions.stop_accepting_requests
            triggers:
            - name: envoy.resource_monitors.fixed_heap
              threshold: { value: 0.6 }
        """,
        "",
        "{ cluster: service, timeout: 0s, retry_policy: { retry_on: reset, num_retries: 1 } }",
        """
        circuit_breakers:
          thresholds:
          - max_connections: 1024
            max_pending_requests: 1024
            max_requests: 1024
        """);
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void largeUploadsIntoASlowUpstreamAreShedWith503AndTheSidecarRecovers() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
    for (int i = 0; i < UPLOADS; i++) {
      uploads.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/upload/" + i))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[UPLOAD_BYTES]))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    String active = "envoy_overload_envoy_overload_actions_stop_accepting_requests_active";
    await().atMost(Duration.ofSeconds(60)).until(() -> sidecar.metric(active) == 1.0);

    // The pressure moves with the heap's garbage from one refresh to the next: a new request is
    // shed while the action is on, which the gauge saw; ask until one meets it on.
    HttpResponse<String> shed =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> get(client), r -> r.statusCode() == 503);
    assertThat(shed.headers().firstValue("x-envoy-overloaded")).hasValue("true");
    assertThat(shed.body()).contains("envoy overloaded");

    release.countDown(); // the upstream reads again: the load drains
    int ok = 0;
    int overloaded = 0;
    for (CompletableFuture<HttpResponse<String>> f : uploads) {
      try {
        HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
        ok += r.statusCode() == 200 ? 1 : 0;
        overloaded += r.statusCode() == 503 ? 1 : 0;
      } catch (java.util.concurrent.ExecutionException e) {
        // a shed upload whose body the client was still sending: the connection closed
        overloaded++;
      }
    }
    System.out.printf("uploads: %d ok, %d shed of %d%n", ok, overloaded, UPLOADS);
    assertThat(ok).isPositive();
    assertThat(ok + overloaded).isEqualTo(UPLOADS);

    await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.metric(active) == 0.0);
    assertThat(get(client).statusCode()).isEqualTo(200);
    assertThat(sidecar.alive()).as(sidecar.log()).isTrue();
    assertThat(sidecar.log()).doesNotContain("OutOfMemoryError");
  }

  private HttpResponse<String> get(HttpClient client) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/small")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
