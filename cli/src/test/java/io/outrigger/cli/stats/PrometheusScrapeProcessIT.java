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
 * public dashboards and alerts, written against Envoy's names, find what they expect. With {@code
 * OUTRIGGER_SCREENSHOTS=1} it also takes the screenshot of the 5xx share for {@code
 * docs/metrics.md}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusScrapeProcessIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  // The queries of Envoy's dashboards and alerts, on Envoy's names.
  static final String RATE =
      "sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_total[10s]))";
  static final String SHARE_5XX =
      "sum(rate(envoy_cluster_upstream_rq_xx{envoy_response_code_class=\"5\"}[10s]))"
          + " / sum(rate(envoy_cluster_upstream_rq_xx[10s]))";
  static final String P99 =
      "histogram_quantile(0.99, sum by (le)"
          + " (rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"service\"}[10s])))";
  static final String HEALTHY =
      "sum(envoy_cluster_membership_healthy{envoy_cluster_name=\"service\"})"
          + " / sum(envoy_cluster_membership_total{envoy_cluster_name=\"service\"})";
  static final String OPEN = "envoy_cluster_circuit_breakers_default_rq_open";
  static final String RETRIES =
      "sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_retry[10s]))";
  // Cluster service's retries end when its bad host is ejected: its count, not its rate.
  static final String RETRIED = "envoy_cluster_upstream_rq_retry";

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

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(value(web, RATE, "service")).as(RATE).isPositive();
              assertThat(value(web, RATE, "flaky")).as(RATE).isPositive();
              assertThat(value(web, SHARE_5XX, null)).as(SHARE_5XX).isBetween(0.005, 0.9);
              assertThat(value(web, P99, null)).as(P99).isBetween(0.5, 1000.0);
              assertThat(value(web, HEALTHY, null)).as(HEALTHY).isEqualTo(0.5);
              assertThat(value(web, OPEN, "limited")).as(OPEN).isEqualTo(1);
              assertThat(value(web, OPEN, "service")).as(OPEN).isZero();
              assertThat(value(web, RETRIES, "flaky")).as(RETRIES).isPositive();
              assertThat(value(web, RETRIED, "service")).as(RETRIED).isPositive();
            });
    promtoolWarnsOnlyAsOnEnvoysOwnExposition(admin);
    if (Screenshot.asked()) {
      // Half a minute of the share for the graph.
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> value(web, "count_over_time(up[40s])", null) >= 30);
      Screenshot.take(web, SHARE_5XX, "prometheus-5xx-share.png");
    }
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

  /**
   * {@code promtool check metrics} finds only what Envoy's naming makes it find (and two of
   * Micrometer's JVM meters), as listed in docs/metrics.md.
   */
  private void promtoolWarnsOnlyAsOnEnvoysOwnExposition(int admin) throws Exception {
    String exposition = fetch(admin, "/stats/prometheus").body();
    Process promtool =
        new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = promtool.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out.lines())
        .anyMatch(
            l ->
                l.equals(
                    "envoy_cluster_upstream_rq_retry counter metrics should have \"_total\" suffix"))
        .allMatch(
            l ->
                l.matches("envoy_\\w+ counter metrics should have \"_total\" suffix")
                    || l.matches("\\w+ no help text")
                    || l.equals(
                        "envoy_cluster_membership_total non-counter metrics should not have"
                            + " \"_total\" suffix")
                    || l.equals(
                        "process_cpu_time_ns_total metric names should not contain abbreviated"
                            + " units")
                    || l.equals(
                        "system_cpu_count non-histogram and non-summary metrics should not have"
                            + " \"_count\" suffix"));
  }

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
        .until(() -> fetch(prometheusPort, "/-/ready").statusCode() == 200);
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

  private static HttpResponse<String> fetch(int port, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject api(int web, String path) throws Exception {
    HttpResponse<String> r = fetch(web, path);
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
