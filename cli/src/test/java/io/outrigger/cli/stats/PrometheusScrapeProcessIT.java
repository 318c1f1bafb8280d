package io.outrigger.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outrigger.cli.SidecarProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus scrapes the built sidecar's {@code /stats/prometheus} under load with 5xx
 * answers, retries, an ejected host and a circuit breaker at its limit, and the queries of Envoy's
 * public dashboards and alerts, written against Envoy's names, find what they expect.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusScrapeProcessIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private HttpServer good;
  private HttpServer bad;
  private SidecarProcess sidecar;
  private Process prometheus;
  private final CountDownLatch release = new CountDownLatch(1);
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() throws Exception {
    pacer.shutdownNow();
    release.countDown();
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (sidecar != null) {
      sidecar.close();
    }
    for (HttpServer s : new HttpServer[] {good, bad}) {
      if (s != null) {
        s.stop(0);
      }
    }
  }

  @Test
  void envoyDashboardQueriesFindTheSidecarsStatistics() throws Exception {
    assumeThat(Files.isExecutable(PROMETHEUS))
        .as("prometheus is installed by .ci/run (Debian package prometheus)")
        .isTrue();
    good = upstream(goodHandler());
    bad = upstream(ex -> answer(ex, 503, "bad host"));
    int admin = SidecarProcess.freePort();
    int listen = SidecarProcess.freePort();
    sidecar =
        SidecarProcess.start(
            dir,
            ScrapeBootstrap.yaml(
                admin, listen, good.getAddress().getPort(), bad.getAddress().getPort()),
            admin,
            "-Xmx256m");
    prometheus = startPrometheus(admin);
    int web = prometheusPort;

    // One request held at cluster "limited" (max_requests 1): its circuit breaker is open.
    CompletableFuture<HttpResponse<Void>> held =
        CLIENT.sendAsync(get(listen, "/hold"), HttpResponse.BodyHandlers.discarding());
    ScheduledFuture<?> load = load(pacer, listen);

    Map<String, String> queries =
        Map.of(
            "rate",
            "sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_total[10s]))",
            "share5xx",
            "sum(rate(envoy_cluster_upstream_rq_xx{envoy_response_code_class=\"5\"}[10s]))"
                + " / sum(rate(envoy_cluster_upstream_rq_xx[10s]))",
            "p99",
            "histogram_quantile(0.99, sum by (le)"
                + " (rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"service\"}[10s])))",
            "healthy",
            "sum(envoy_cluster_membership_healthy{envoy_cluster_name=\"service\"})"
                + " / sum(envoy_cluster_membership_total{envoy_cluster_name=\"service\"})",
            "open",
            "envoy_cluster_circuit_breakers_default_rq_open",
            "retries",
            "sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_retry[10s]))");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(value(web, queries.get("rate"), "service")).isPositive();
              assertThat(value(web, queries.get("rate"), "flaky")).isPositive();
              assertThat(value(web, queries.get("share5xx"), null)).isBetween(0.01, 0.9);
              assertThat(value(web, queries.get("p99"), null)).isBetween(0.5, 1000.0);
              assertThat(value(web, queries.get("healthy"), null)).isEqualTo(0.5);
              assertThat(value(web, queries.get("open"), "limited")).isEqualTo(1);
              assertThat(value(web, queries.get("open"), "service")).isZero();
              assertThat(value(web, queries.get("retries"), "service")).isPositive();
            });
    JsonObject target =
        api(web, "/api/v1/targets")
            .getAsJsonObject("data")
            .getAsJsonArray("activeTargets")
            .get(0)
            .getAsJsonObject();
    assertThat(target.get("health").getAsString()).isEqualTo("up");
    assertThat(target.get("lastError").getAsString()).isEmpty();
    load.cancel(false);
    release.countDown();
    assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(sidecar.alive()).isTrue();
  }

  private int prometheusPort;

  private Process startPrometheus(int admin) throws Exception {
    prometheusPort = SidecarProcess.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 900ms
        scrape_configs:
          - job_name: sidecar
            metrics_path: /stats/prometheus
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(admin));
    ProcessBuilder pb =
        new ProcessBuilder(
            PROMETHEUS.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + prometheusPort);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile());
    Process p = pb.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                CLIENT
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return p;
  }

  /**
   * About 100 requests a second until stopped: 9 in 10 to cluster {@code service} (a good and a bad
   * host, retried), 1 in 10 to {@code flaky}. Answers are not waited for; the sidecar counts them.
   */
  private ScheduledFuture<?> load(ScheduledExecutorService pacer, int listen) {
    AtomicInteger n = new AtomicInteger();
    return pacer.scheduleAtFixedRate(
        () ->
            CLIENT.sendAsync(
                get(listen, n.getAndIncrement() % 10 == 0 ? "/flaky" : "/"),
                HttpResponse.BodyHandlers.discarding()),
        0,
        10,
        TimeUnit.MILLISECONDS);
  }

  private static HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  /** The value of the series of {@code cluster} (any when null) in an instant query's result. */
  private static double value(int web, String query, String cluster) throws Exception {
    JsonArray result =
        api(web, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
            .getAsJsonObject("data")
            .getAsJsonArray("result");
    for (var e : result) {
      JsonObject series = e.getAsJsonObject();
      JsonObject metric = series.getAsJsonObject("metric");
      if (cluster == null
          || (metric.has("envoy_cluster_name")
              && metric.get("envoy_cluster_name").getAsString().equals(cluster))) {
        return Double.parseDouble(series.getAsJsonArray("value").get(1).getAsString());
      }
    }
    throw new AssertionError("no series for " + cluster + " in " + query + ": " + result);
  }

  private static JsonObject api(int web, String path) throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private HttpServer upstream(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    s.createContext("/", handler);
    s.setExecutor(Executors.newFixedThreadPool(4));
    s.start();
    return s;
  }

  /** {@code /hold} waits for the end of the test; {@code /flaky} is 503 one time in four. */
  private com.sun.net.httpserver.HttpHandler goodHandler() {
    AtomicInteger flaky = new AtomicInteger();
    return ex -> {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/hold")) {
        try {
          release.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        answer(ex, 200, "released");
      } else if (path.equals("/flaky")) {
        answer(ex, flaky.incrementAndGet() % 4 == 0 ? 503 : 200, "flaky");
      } else {
        answer(ex, 200, "good host");
      }
    };
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
