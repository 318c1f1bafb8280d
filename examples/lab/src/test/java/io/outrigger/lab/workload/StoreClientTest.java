package io.outrigger.lab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.outrigger.lab.history.Version;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a store scripted per path, on 127.0.0.1:0. */
class StoreClientTest {
  private HttpServer server;
  private URI url;
  private final CountDownLatch release = new CountDownLatch(1);
  private final StoreClient client = StoreClient.create(Duration.ofMillis(300));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/kv/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body;
            int status;
            switch (path) {
              case "/kv/ok" -> {
                status = 200;
                exchange.getResponseHeaders().add("X-Outrigger-Replica", "n2");
                exchange.getResponseHeaders().add("X-Outrigger-Version", "7.n3");
                body =
                    "{\"key\":\"ok\",\"value\":\"v\",\"version\":{\"time\":7,\"replica\":\"n3\"},\"replica\":\"n2\"}";
              }
              case "/kv/body-only" -> {
                status = 200;
                body =
                    "{\"key\":\"body-only\",\"value\":\""
                        + query
                        + "\",\"version\":{\"time\":9,\"replica\":\"n1\"},\"replica\":\"n1\"}";
              }
              case "/kv/missing" -> {
                status = 404;
                body = "{\"key\":\"missing\",\"value\":null,\"version\":null,\"replica\":\"n1\"}";
              }
              case "/kv/no-quorum" -> {
                status = 503;
                exchange.getResponseHeaders().add("X-Outrigger-Outcome", "unknown");
                body =
                    "{\"error\":\"no"
                        + " quorum\",\"replica\":\"n1\",\"outcome\":\"unknown\",\"acks\":1,\"needed\":2}";
              }
              case "/kv/proxy" -> {
                status = 503;
                body = "upstream connect error";
              }
              case "/kv/a%20b" -> {
                status = 200;
                body = "{\"key\":\"a b\",\"value\":\"spaced\",\"version\":null,\"replica\":\"n1\"}";
              }
              default -> {
                awaitRelease();
                status = 500;
                body = "{}";
              }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void readsValueReplicaAndVersionFromHeaders() {
    StoreReply.Answer a = (StoreReply.Answer) client.read(url, "ok", false);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.value()).isEqualTo("v");
    assertThat(a.replica()).isEqualTo("n2");
    assertThat(a.version()).isEqualTo(new Version(7, "n3"));
  }

  @Test
  void fallsBackToTheBodyAndSendsLocalReads() {
    StoreReply.Answer a = (StoreReply.Answer) client.read(url, "body-only", true);
    assertThat(a.value()).isEqualTo("local=true");
    assertThat(a.replica()).isEqualTo("n1");
    assertThat(a.version()).isEqualTo(new Version(9, "n1"));
  }

  @Test
  void missingKeyIsA404WithTheKey() {
    StoreReply.Answer a = (StoreReply.Answer) client.read(url, "missing", false);
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.hasKey()).isTrue();
    assertThat(a.value()).isNull();
  }

  @Test
  void noQuorumCarriesTheOutcome() {
    StoreReply.Answer a = (StoreReply.Answer) client.write(url, "no-quorum", "c0-1");
    assertThat(a.status()).isEqualTo(503);
    assertThat(a.outcome()).isEqualTo("unknown");
    assertThat(a.error()).isEqualTo("no quorum");
  }

  @Test
  void nonJsonBodiesAreKeptAsTheError() {
    StoreReply.Answer a = (StoreReply.Answer) client.write(url, "proxy", "c0-1");
    assertThat(a.hasKey()).isFalse();
    assertThat(a.error()).isEqualTo("upstream connect error");
  }

  @Test
  void keysAreEncodedInThePath() {
    assertThat(((StoreReply.Answer) client.read(url, "a b", false)).value()).isEqualTo("spaced");
  }

  @Test
  void aHangingReplicaTimesOut() {
    StoreReply.Failure f = (StoreReply.Failure) client.write(url, "hang", "c0-1");
    assertThat(f.timedOut()).isTrue();
    assertThat(f.notSent()).isFalse();
  }

  @Test
  void aClosedPortIsNotSent() throws IOException {
    int port;
    try (java.net.ServerSocket closed =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    StoreReply.Failure f =
        (StoreReply.Failure) client.write(URI.create("http://127.0.0.1:" + port), "k", "v");
    assertThat(f.notSent()).isTrue();
  }
}
