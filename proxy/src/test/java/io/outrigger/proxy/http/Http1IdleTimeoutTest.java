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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code idle_timeout} on HTTP/1.1 connections, end to end: with {@code codec_type HTTP1} from the
 * start, and with {@code AUTO} before and after the sniffer chose HTTP/1.1. Real sockets; the
 * bounds leave the machine a wide margin.
 */
class Http1IdleTimeoutTest {
  private static final Duration IDLE = Duration.ofSeconds(1);

  private HttpUpstream upstream;
  private HttpProxyFixture proxy;

  private void start(HttpSettings.Codec codec) throws Exception {
    upstream = new HttpUpstream("u");
    HttpSettings d = HttpSettings.defaults("ingress");
    HttpSettings settings =
        HttpProxyFixture.settings(
            codec, IDLE, d.streamIdleTimeout(), d.requestTimeout(), d.maxStreamDuration());
    RouteResolver all = HttpProxyFixture.forwardAll("service", Duration.ofSeconds(15), false);
    proxy = new HttpProxyFixture(settings, all, Map.of("service", List.of(upstream.port())), false);
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private static void send(Socket s, String request) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @ParameterizedTest
  @EnumSource(
      value = HttpSettings.Codec.class,
      names = {"HTTP1", "AUTO"})
  void aConnectionIdleAfterItsResponseIsClosedNoSooner(HttpSettings.Codec codec) throws Exception {
    start(codec);
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(10_000);
      send(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(DownstreamTimeoutsTest.readResponseWithLength(s)).startsWith("HTTP/1.1 200");
      long answered = System.nanoTime();

      assertThat(s.getInputStream().read()).isEqualTo(-1); // the proxy closed it
      assertThat(Duration.ofNanos(System.nanoTime() - answered))
          .isGreaterThanOrEqualTo(IDLE.minusMillis(50));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = HttpSettings.Codec.class,
      names = {"HTTP1", "AUTO"})
  void aConnectionThatSendsNothingIsClosed(HttpSettings.Codec codec) throws Exception {
    start(codec);
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = HttpSettings.Codec.class,
      names = {"HTTP1", "AUTO"})
  void requestsMoreOftenThanTheIdleTimeoutKeepTheConnection(HttpSettings.Codec codec)
      throws Exception {
    start(codec);
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.setSoTimeout(10_000);
      long until = System.nanoTime() + IDLE.multipliedBy(5).dividedBy(2).toNanos();
      int served = 0;
      while (System.nanoTime() < until) {
        send(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(DownstreamTimeoutsTest.readResponseWithLength(s)).startsWith("HTTP/1.1 200");
        served++;
        Thread.sleep(100); // the client's pause between requests, well under the idle timeout
      }
      assertThat(served).isGreaterThan(5);
    }
  }
}
