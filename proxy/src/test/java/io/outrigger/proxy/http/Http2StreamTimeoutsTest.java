package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.Http2Clients;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.LeakDetectionExtension;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An HTTP/2 connection's streams share one timer for their timeouts ({@link Http2StreamTimer});
 * each stream is still timed from its own start, whichever stream armed the timer first.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(LeakDetectionExtension.class)
class Http2StreamTimeoutsTest {
  private static final Duration IDLE = Duration.ofMillis(400);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private HttpUpstream upstream;
  private SidecarFixture sidecar;
  private Channel connection;

  @BeforeEach
  void start() throws Exception {
    upstream = new HttpUpstream("u");
    String yaml =
        Bootstraps.httpProxy("edge", upstream.port())
            .replaceFirst(
                "(?m)^( *)stat_prefix: edge$",
                "$1stat_prefix: edge\n$1stream_idle_timeout: " + IDLE.toMillis() / 1000.0 + "s");
    sidecar = SidecarFixture.start(yaml, Map.of());
    connection = Http2Clients.connect(group, sidecar.listener("edge"));
  }

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.close().syncUninterruptibly();
    }
    sidecar.close();
    upstream.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void eachStreamOfAConnectionIsTimedFromItsOwnStart() throws Exception {
    Response first = send("/sleep/5000");
    Thread.sleep(250); // the second stream starts later than the first, within its idle timeout
    Response second = send("/sleep/5000");
    Response quick = send("/hello");

    assertThat(quick.status.get(10, TimeUnit.SECONDS)).isEqualTo("200");
    assertThat(first.status.get(10, TimeUnit.SECONDS)).isEqualTo("408");
    assertThat(second.status.get(10, TimeUnit.SECONDS)).isEqualTo("408");
    assertThat(first.took()).isBetween(IDLE.minusMillis(20), Duration.ofMillis(1500));
    assertThat(second.took()).isBetween(IDLE.minusMillis(20), Duration.ofMillis(1500));
    // Timed from its own start: the second stream's timeout came about 250 ms after the first's.
    assertThat(second.answeredAt - first.answeredAt)
        .isGreaterThan(Duration.ofMillis(150).toNanos());
  }

  @Test
  void aStreamStillTimesOutWhenTheStreamThatArmedTheTimerEndedFirst() throws Exception {
    // The first stream arms the connection's timer for its deadline, then ends; when the timer
    // fires for that deadline, the second stream's is not yet due and must be armed again.
    Response first = send("/hello");
    assertThat(first.status.get(10, TimeUnit.SECONDS)).isEqualTo("200");
    Thread.sleep(200);
    Response second = send("/sleep/5000");

    assertThat(second.status.get(10, TimeUnit.SECONDS)).isEqualTo("408");
    assertThat(second.took()).isBetween(IDLE.minusMillis(20), Duration.ofMillis(1500));
  }

  /** Opens a stream with a GET for {@code path}; its response status completes {@code status}. */
  private Response send(String path) throws InterruptedException {
    Response r = new Response();
    var stream =
        Http2Clients.openStream(
            connection,
            msg -> {
              if (msg instanceof Http2HeadersFrame h && h.headers().status() != null) {
                r.answeredAt = System.nanoTime();
                r.status.complete(h.headers().status().toString());
              } else if (!(msg instanceof Http2DataFrame)) {
                r.status.complete("unexpected " + msg);
              }
            });
    DefaultHttp2Headers headers = new DefaultHttp2Headers();
    headers.method("GET").path(path).scheme("http").authority("x");
    r.sentAt = System.nanoTime();
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
    return r;
  }

  /** One stream's answer: its status, and when it was sent and answered. */
  private static final class Response {
    final CompletableFuture<String> status = new CompletableFuture<>();
    volatile long sentAt;
    volatile long answeredAt;

    Duration took() {
      return Duration.ofNanos(answeredAt - sentAt);
    }
  }
}
