package io.outrigger.cli.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpServer;
import io.outrigger.cli.SidecarProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * slowhttptest (slowloris and slow body, 1,000 connections each) against the built sidecar on a 64
 * MiB heap, while an ordinary client keeps sending requests: at least 99 % of them succeed, the
 * slow connections are cut by {@code request_headers_timeout} and {@code request_timeout}, and the
 * sidecar neither dies nor grows without bound. Loopback only; each attack lasts 20 s.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SlowClientsProcessIT {
  private static final int SLOW_CONNECTIONS = 1000;
  private static final Pattern CONNECTED = Pattern.compile("connected:\\s+(\\d+)");

  @TempDir Path tmp;
  private HttpServer upstream;
  private SidecarProcess sidecar;
  private int listen;

  @BeforeEach
  void start() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/slowhttptest")))
        .as("slowhttptest is installed by .ci/run (Debian package slowhttptest)")
        .isTrue();
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
    upstream.setExecutor(Executors.newCachedThreadPool());
    upstream.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
          ex.sendResponseHeaders(200, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    upstream.start();
    listen = SidecarProcess.freePort();
    int admin = SidecarProcess.freePort();
    sidecar =
        SidecarProcess.start(
            tmp,
            bootstrap(admin, listen, upstream.getAddress().getPort()),
            admin,
            "-Xmx64m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError");
  }

  private static String bootstrap(int admin, int listen, int upstream) {
    return SidecarProcess.httpBootstrap(
        admin,
        listen,
        upstream,
        "",
        """
        request_headers_timeout: 5s
        request_timeout: 8s
        """,
        "{ cluster: service }",
        """
        circuit_breakers:
          thresholds:
          - max_connections: 4096
            max_pending_requests: 4096
            max_requests: 4096
        """);
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  @Test
  void slowlorisConnectionsAreCutByRequestHeadersTimeoutWhileOthersAreServed() throws Exception {
    Attack attack = attack("-H", "/slowloris");

    assertThat(attack.maxConnected).isGreaterThanOrEqualTo(SLOW_CONNECTIONS * 9 / 10);
    attack.ordinary.assertServed();
    assertThat(
            sidecar.metric(
                "envoy_http_downstream_rq_header_timeout{envoy_http_conn_manager_prefix=\"ingress\"}"))
        .isGreaterThanOrEqualTo(SLOW_CONNECTIONS * 9 / 10.0);
    assertHealthy();
  }

  @Test
  void slowBodiesAreCutByRequestTimeoutWhileOthersAreServed() throws Exception {
    Attack attack = attack("-B", "/slowbody");

    assertThat(attack.maxConnected).isGreaterThanOrEqualTo(SLOW_CONNECTIONS * 9 / 10);
    attack.ordinary.assertServed();
    assertThat(
            sidecar.metric(
                "envoy_http_downstream_rq_xx{envoy_response_code_class=\"4\",envoy_http_conn_manager_prefix=\"ingress\"}"))
        .as("408s for the slow bodies")
        .isGreaterThanOrEqualTo(SLOW_CONNECTIONS * 9 / 10.0);
    assertHealthy();
  }

  private void assertHealthy() throws Exception {
    assertThat(sidecar.alive()).as(sidecar.log()).isTrue();
    assertThat(sidecar.log()).doesNotContain("OutOfMemoryError");
    // 64 MiB of heap, 64 MiB of direct memory, and the JVM itself: bounded, not growing with the
    // 1,000 connections it held.
    long rss = sidecar.rssKib();
    System.out.printf("sidecar RSS after the attack: %d MiB%n", rss / 1024);
    assertThat(rss).isLessThan(400 * 1024);
  }

  private record Attack(int maxConnected, Ordinary ordinary) {}

  /** Runs slowhttptest for 20 s with an ordinary client beside it. */
  private Attack attack(String mode, String path) throws Exception {
    Ordinary ordinary = new Ordinary(listen);
    Thread client = new Thread(ordinary, "ordinary-client");
    Process slow =
        new ProcessBuilder(
                "slowhttptest",
                mode,
                "-c",
                String.valueOf(SLOW_CONNECTIONS),
                "-r",
                "500",
                "-i",
                "2",
                "-s",
                "16384",
                "-x",
                "24",
                "-l",
                "20",
                "-p",
                "3",
                "-u",
                "http://127.0.0.1:" + listen + path)
            .redirectErrorStream(true)
            .start();
    client.start();
    int maxConnected = 0;
    StringBuilder output = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.append(line).append('\n');
        Matcher m = CONNECTED.matcher(line.replaceAll("\u001B\\[[;\\d]*m", ""));
        if (m.find()) {
          maxConnected = Math.max(maxConnected, Integer.parseInt(m.group(1)));
        }
      }
    }
    assertThat(slow.waitFor(60, TimeUnit.SECONDS)).isTrue();
    ordinary.stop();
    client.join(15_000);
    Files.writeString(tmp.resolve("slowhttptest" + mode + ".log"), output);
    return new Attack(maxConnected, ordinary);
  }

  /** Sends a GET every 50 ms until stopped; records each outcome and latency. */
  private static final class Ordinary implements Runnable {
    private final HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final int port;
    private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;
    private int sent;
    private int ok;

    Ordinary(int port) {
      this.port = port;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      while (!stopped && sent < 1000) {
        long start = System.nanoTime();
        sent++;
        try {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ordinary"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            ok++;
          }
        } catch (IOException e) {
          // counted as a failure
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        latenciesMicros.add((System.nanoTime() - start) / 1000);
        try {
          Thread.sleep(50); // the ordinary client's pace, not a wait for something
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    void assertServed() {
      List<Long> sorted = new ArrayList<>(latenciesMicros);
      Collections.sort(sorted);
      long p99 =
          sorted.isEmpty()
              ? -1
              : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99));
      System.out.printf(
          "ordinary client: %d/%d ok, p50 %d us, p99 %d us%n",
          ok, sent, sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2), p99);
      assertThat(sent).isGreaterThanOrEqualTo(50);
      assertThat((double) ok / sent).as("ordinary requests served").isGreaterThanOrEqualTo(0.99);
    }
  }
}
