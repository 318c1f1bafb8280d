package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.testkit.HttpProxyFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An upstream that answers with malformed or over-long responses, then ordinary ones on the same
 * connection: a response that breaks HTTP is a 502, and a connection that holds bytes after a
 * response never carries another request, so no later request fails because of an earlier one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostileUpstreamTest {
  /** Raw responses by request path; {@code /ok} is a well-formed 200. */
  private static final Map<String, String> RESPONSES =
      Map.of(
          "/ok", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
          "/four-digit-status", "HTTP/1.1 1000 OK\r\nContent-Length: 2\r\n\r\nok",
          "/status-below-100", "HTTP/1.1 099 OK\r\nContent-Length: 2\r\n\r\nok",
          "/unparsable-status", "HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\nok",
          "/identity-beside-length",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\nokEXTRA",
          "/204-with-body", "HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\nbody",
          "/longer-than-length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200",
          "/garbage-line-after", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokgarbage\r\n");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final AtomicInteger closedByProxy = new AtomicInteger();
  private TcpUpstream upstream;
  private HttpProxyFixture proxy;

  /** Reads request heads one after another and writes the scripted response for each path. */
  private void serve(Socket s, TcpUpstream u) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    String head;
    while ((head = readHead(in)) != null) {
      String path = head.split(" ", 3)[1];
      String response = RESPONSES.get(path);
      if (head.startsWith("HEAD ")) { // a well-behaved HEAD answer: the head alone
        response = response.substring(0, response.indexOf("\r\n\r\n") + 4);
      }
      out.write(response.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    closedByProxy.incrementAndGet();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      sb.append((char) b);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        return sb.toString();
      }
    }
    return null;
  }

  @BeforeEach
  void start() throws Exception {
    upstream = TcpUpstream.start(this::serve);
    RouteResolver routes = HttpProxyFixture.forwardAll("service", Duration.ofSeconds(5), true);
    proxy =
        new HttpProxyFixture(
            HttpSettings.defaults("ingress"),
            routes,
            Map.of("service", List.of(upstream.port())),
            false);
  }

  @AfterEach
  void stop() throws IOException {
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
  void aStatusOutside100To599IsA502() throws Exception {
    for (String path : List.of("/four-digit-status", "/status-below-100", "/unparsable-status")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(502);
      assertThat(r.body()).as(path).contains("protocol error");
    }
    assertThat(get("/ok").statusCode()).isEqualTo(200);
  }

  @Test
  void aTransferCodingOtherThanChunkedIsA502AndItsConnectionIsNotReused() throws Exception {
    assertThat(get("/identity-beside-length").statusCode()).isEqualTo(502);

    assertThat(get("/ok").body()).isEqualTo("ok");
    assertThat(upstream.accepted()).isEqualTo(2);
  }

  @Test
  void aBodyAfterA204NeverReachesTheNextRequest() throws Exception {
    assertThat(get("/204-with-body").statusCode()).isEqualTo(204);

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = get("/ok");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    }
    // The 204's connection held "body" after its response: it was closed, never pooled.
    assertThat(upstream.accepted()).isEqualTo(2);
  }

  @Test
  void bytesBeyondAResponsesLengthCloseTheConnection() throws Exception {
    HttpResponse<String> first = get("/longer-than-length");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("ok");

    HttpResponse<String> next = get("/ok");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("ok");
    assertThat(upstream.accepted()).isEqualTo(2);
    await().until(() -> closedByProxy.get() == 1);
  }

  @Test
  void aWellBehavedUpstreamKeepsOneConnection() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(get("/ok").statusCode()).isEqualTo(200);
    }
    assertThat(upstream.accepted()).isEqualTo(1);
  }

  @Test
  void aGarbageLineAfterAResponseClosesTheConnectionNotTheNextRequest() throws Exception {
    assertThat(get("/garbage-line-after").body()).isEqualTo("ok");
    await().until(() -> closedByProxy.get() == 1);

    assertThat(get("/ok").statusCode()).isEqualTo(200);
  }

  @Test
  void aHeadResponseHasNoBodyWhateverItsLengthSays() throws Exception {
    HttpResponse<Void> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/ok"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(get("/ok").body()).isEqualTo("ok");
    assertThat(upstream.accepted()).isEqualTo(1);
  }
}
