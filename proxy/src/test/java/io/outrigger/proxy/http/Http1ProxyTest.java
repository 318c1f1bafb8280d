package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpHeaders;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.testkit.HttpProxyFixture;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.Patterns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP/1.1 data path on real sockets: proxying, streaming, pooling, errors, bad input. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http1ProxyTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpUpstream upstream;
  private HttpProxyFixture proxy;
  private int deadPort;

  /** Routes /dead to a cluster nobody listens on, /timeout with a 300 ms timeout, /none nowhere. */
  private static RouteResolver routes() {
    return (req, scheme, ip) -> {
      String uri = req.uri();
      if (uri.startsWith("/none")) {
        return new RouteDecision.NoRoute();
      }
      String cluster = uri.startsWith("/dead") ? "dead" : "service";
      Duration timeout =
          uri.startsWith("/timeout") ? Duration.ofMillis(300) : Duration.ofSeconds(15);
      return new RouteDecision.Forward(
          cluster,
          timeout,
          Duration.ZERO,
          OptionalLong.empty(),
          false,
          r -> {
            if (r.uri().startsWith("/timeout")) {
              r.setUri(r.uri().substring("/timeout".length()));
            }
          },
          h -> h.set("x-added", "yes"),
          true);
    };
  }

  @BeforeEach
  void start() throws Exception {
    upstream = new HttpUpstream("u1");
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    proxy =
        new HttpProxyFixture(
            HttpSettings.defaults("ingress"),
            routes(),
            Map.of("service", List.of(upstream.port()), "dead", List.of(deadPort)),
            false);
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void proxiesAGetAndAddsEnvoysHeaders() throws Exception {
    HttpResponse<String> r = get("/hello");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello from u1");
    assertThat(r.headers().firstValue("server")).hasValue("outrigger");
    assertThat(r.headers().firstValue("x-envoy-upstream-service-time")).isPresent();
    assertThat(r.headers().firstValue("x-added")).hasValue("yes");
    HttpUpstream.Seen seen = upstream.seen().get(0);
    assertThat(seen.uri()).isEqualTo("/hello");
    assertThat(seen.header("x-request-id")).matches("[0-9a-f-]{36}");
    assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + proxy.port());
  }

  @Test
  void streamsALargeUploadIntact() throws Exception {
    byte[] body = new byte[8 * 1024 * 1024];
    new Random(3).nextBytes(body);
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/echo-sha"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    assertThat(r.body()).isEqualTo(sha + " " + body.length);
  }

  @Test
  void streamsAChunkedUploadOfUnknownLength() throws Exception {
    byte[] part = "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/echo-sha"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(part)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).endsWith(" " + part.length);
  }

  @Test
  void streamsALargeDownloadIntact() throws Exception {
    long size = 32L * 1024 * 1024;
    HttpResponse<InputStream> r =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxy.port() + "/bytes/" + size))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream in = r.body()) {
      assertThat(Patterns.verify(in)).isEqualTo(size);
    }
  }

  @Test
  void reusesUpstreamConnections() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(get("/r" + i).statusCode()).isEqualTo(200);
    }
    assertThat(upstream.seen()).hasSize(20);
    // One client connection lands on one event loop, which keeps one upstream connection.
    assertThat(proxy.clusters().get("service").stats()).isNotNull();
    double opened =
        proxy
            .stats()
            .registry()
            .get("upstream_cx_total")
            .tag("cluster", "service")
            .counter()
            .count();
    assertThat(opened).isEqualTo(1.0);
  }

  @Test
  void connectFailureIs503WithTheReason() throws Exception {
    HttpResponse<String> r = get("/dead");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("reset reason: connection failure");
  }

  @Test
  void routeTimeoutIs504() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = get("/timeout/sleep/3000");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).isEqualTo("upstream request timeout\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(
            proxy
                .stats()
                .registry()
                .get("upstream_rq_timeout")
                .tag("cluster", "service")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void noRouteIs404() throws Exception {
    assertThat(get("/none").statusCode()).isEqualTo(404);
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void countsRequestsByResponseClass() throws Exception {
    assertThat(get("/a").statusCode()).isEqualTo(200);
    HttpResponse<String> unavailable = get("/status/503");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.body()).isEqualTo("status");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              var reg = proxy.stats().registry();
              String dump =
                  proxy
                      .stats()
                      .scrape()
                      .lines()
                      .filter(l -> l.contains("rq_total{"))
                      .toList()
                      .toString();
              assertThat(
                      reg.get("downstream_rq_total")
                          .tag("response_code_class", "2xx")
                          .counter()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      reg.get("downstream_rq_total")
                          .tag("response_code_class", "5xx")
                          .counter()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      reg.get("upstream_rq_total")
                          .tag("cluster", "service")
                          .tag("response_code_class", "5xx")
                          .counter()
                          .count())
                  .isEqualTo(1);
            });
  }

  // ---- raw-socket tests: hygiene and bad input ----

  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void removesHopByHopHeaders() throws Exception {
    String response =
        raw(
            "GET /h HTTP/1.1\r\nHost: x\r\nConnection: close, x-secret\r\nX-Secret: 1\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers, deflate\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 200");
    HttpUpstream.Seen seen = upstream.seen().get(0);
    assertThat(seen.header("x-secret")).isNull();
    assertThat(seen.header("keep-alive")).isNull();
    assertThat(seen.header("proxy-connection")).isNull();
    assertThat(seen.header("te")).isEqualTo("trailers");
  }

  private void assertRefused(String request, String status) throws IOException {
    String response = raw(request);
    assertThat(response).startsWith("HTTP/1.1 " + status);
    assertThat(response.toLowerCase()).contains("connection: close");
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void contentLengthWithTransferEncodingIs400() throws Exception {
    assertRefused(
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\n",
        "400");
  }

  @Test
  void conflictingContentLengthsAre400() throws Exception {
    assertRefused(
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "400");
  }

  @Test
  void unknownTransferCodingIs400() throws Exception {
    assertRefused(
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "400");
  }

  @Test
  void obsFoldIsUnfoldedNeverPassedOn() throws Exception {
    // RFC 9112 5.2 lets a server either refuse obs-fold with 400 or replace it with spaces before
    // forwarding; Netty's decoder does the latter, so the upstream sees one plain line.
    String response =
        raw("GET /x HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  folded\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 200");
    assertThat(upstream.seen().get(0).header("x-long")).isEqualTo("a folded");
  }

  @Test
  void anHttp11RequestWithoutHostIs400() throws Exception {
    assertRefused("GET /x HTTP/1.1\r\nX-A: 1\r\n\r\n", "400");
  }

  @Test
  void anHttp11RequestWithAnEmptyHostIs400() throws Exception {
    assertRefused("GET /x HTTP/1.1\r\nHost: \r\n\r\n", "400");
  }

  @Test
  void anHttp10RequestNeedsNoHost() throws Exception {
    assertThat(raw("GET /x HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200");
  }

  @Test
  void malformedRequestLineIs400() throws Exception {
    assertRefused("GARBAGE\r\n\r\n", "400");
  }

  @Test
  void oversizedHeadersAre431() throws Exception {
    assertRefused(
        "GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70 * 1024) + "\r\n\r\n", "431");
  }

  @Test
  void tooManyHeadersAre431() throws Exception {
    StringBuilder sb = new StringBuilder("GET /x HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 101; i++) {
      sb.append("X-H").append(i).append(": v\r\n");
    }
    assertRefused(sb.append("\r\n").toString(), "431");
  }

  @Test
  void keepsTheConnectionForPipelinedRequests() throws Exception {
    String response =
        raw(
            "GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(response.split("HTTP/1.1 200", -1)).hasSize(3);
    assertThat(upstream.seen()).extracting(HttpUpstream.Seen::uri).containsExactly("/p1", "/p2");
  }

  @Test
  void aRequestThatAsksToCloseIsTheLastOneServed() throws Exception {
    String response =
        raw(
            "GET /p1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                + "GET /p2 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response.split("HTTP/1.1 200", -1)).hasSize(2);
    assertThat(response.toLowerCase()).contains("connection: close");
    assertThat(upstream.seen()).extracting(HttpUpstream.Seen::uri).containsExactly("/p1");
  }

  @Test
  void anHttp10RequestIsAnsweredWithCloseAndTheConnectionCloses() throws Exception {
    String response = raw("GET /x HTTP/1.0\r\n\r\nGET /y HTTP/1.0\r\n\r\n");
    assertThat(response.split("HTTP/1.1 200", -1)).hasSize(2);
    assertThat(response.toLowerCase()).contains("connection: close");
  }

  @Test
  void aResponseToHeadEndsAtItsHeadersAndTheConnectionGoesOn() throws Exception {
    String response =
        raw(
            "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /g HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    int second = response.indexOf("HTTP/1.1 200", 1);
    assertThat(second).isPositive();
    // Nothing between the first response's head and the second status line.
    assertThat(response.substring(0, second)).endsWith("\r\n\r\n");
    assertThat(upstream.seen())
        .extracting(HttpUpstream.Seen::method)
        .containsExactly("HEAD", "GET");
  }

  @Test
  void aFloodOfPipelinedRequestsIsCutAndTheConnectionClosed() throws Exception {
    // The client never asks to close: only the bound on requests read ahead of their turn ends
    // the connection (else readAllBytes would wait for the socket's timeout and fail). Requests
    // that go upstream, since a local reply is written before the next request is even decoded.
    int sent = 600;
    String response = raw("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n".repeat(sent));
    int answered = response.split("HTTP/1.1 200", -1).length - 1;
    assertThat(answered).isGreaterThan(PipelinedRequests.MAX_REQUESTS).isLessThan(sent);
  }

  @Test
  void localRepliesToBodilessRequestsKeepTheConnection() throws Exception {
    String response =
        raw(
            "GET /none HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /none HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(response.split("HTTP/1.1 404", -1)).hasSize(3);
    assertThat(response).contains("HTTP/1.1 200");
    assertThat(response.toLowerCase().split("connection: close", -1)).hasSize(2);
    assertThat(upstream.seen()).extracting(HttpUpstream.Seen::uri).containsExactly("/p3");
  }

  @Test
  void aLocalReplyBeforeAnUnreadBodyClosesTheConnection() throws Exception {
    String response =
        raw(
            "POST /none HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /p2 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 404");
    assertThat(response.toLowerCase()).contains("connection: close");
    assertThat(response).doesNotContain("HTTP/1.1 200");
  }

  @SuppressWarnings("unused")
  private static HttpHeaders unused() {
    return null;
  }
}
