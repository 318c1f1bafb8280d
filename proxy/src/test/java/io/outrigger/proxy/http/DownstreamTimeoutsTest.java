package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.proxy.testkit.HttpProxyFixture;
import io.outrigger.proxy.testkit.HttpUpstream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow and idle clients are cut off: request_timeout, stream_idle_timeout, max_stream_duration. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DownstreamTimeoutsTest {
  private HttpUpstream upstream;
  private HttpProxyFixture proxy;

  @BeforeEach
  void start() throws Exception {
    upstream = new HttpUpstream("u");
    HttpSettings settings =
        HttpProxyFixture.settings(
            HttpSettings.Codec.AUTO,
            Duration.ofMinutes(1),
            Duration.ofMillis(400), // stream_idle_timeout
            Duration.ofMillis(600), // request_timeout
            Duration.ofSeconds(3)); // max_stream_duration
    RouteResolver all = HttpProxyFixture.forwardAll("service", Duration.ofSeconds(15), false);
    proxy = new HttpProxyFixture(settings, all, Map.of("service", List.of(upstream.port())), false);
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private static String exchange(Socket s, String request) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void aClientThatStopsSendingItsBodyGets408() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(5_000);
      long start = System.nanoTime();
      String r =
          exchange(
              s, "POST /echo-sha HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a bit");
      assertThat(r).startsWith("HTTP/1.1 408").contains("stream timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void anUpstreamSilentForLongerThanTheIdleTimeoutGets408() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(5_000);
      String r = exchange(s, "GET /sleep/2000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 408");
    }
  }

  @Test
  void eachRequestOnAKeepAliveConnectionIsTimedFromItsOwnStart() throws Exception {
    // The connection's streams share one timer; the second stream's idle timeout (400 ms) runs
    // from its own start, not from the first's, whose timer task is still pending.
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String first = readResponseWithLength(s);
      assertThat(first).startsWith("HTTP/1.1 200");
      Thread.sleep(300); // a gap between the requests, shorter than the idle timeout
      long start = System.nanoTime();
      String second =
          exchange(s, "GET /sleep/2000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(second).startsWith("HTTP/1.1 408").contains("stream timeout");
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofMillis(380))
          .isLessThan(Duration.ofMillis(1500));
    }
  }

  /** Reads one response whose body has a Content-Length, leaving the connection open. */
  static String readResponseWithLength(Socket s) throws Exception {
    var in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).isNotNegative();
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  @Test
  void aBusyStreamIsNotIdle() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(10_000);
      // 32 MiB read slowly in pieces keeps bytes moving, so neither timeout fires.
      s.getOutputStream()
          .write(
              "GET /bytes/1048576 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
      byte[] buf = new byte[65536];
      long n = 0;
      int r;
      while ((r = s.getInputStream().read(buf)) >= 0) {
        n += r;
        Thread.sleep(10);
      }
      assertThat(n).isGreaterThan(1_048_576);
    }
  }
}
