package io.outrigger.proxy.http.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.Http2Upstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code retry_on: refused-stream} against an HTTP/2 upstream that resets the first stream of every
 * pair with {@code REFUSED_STREAM} (WireMock cannot send that frame): the refused stream is
 * retried, other resets are not retried by this condition alone.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RefusedStreamRetryTest {
  private static final String BOOTSTRAP = Bootstraps.http2Cluster("/refused");

  private final AtomicInteger streams = new AtomicInteger();
  private EventLoopGroup group;
  private Http2Upstream upstream;
  private SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    // Refuses every odd-numbered stream it sees; answers the others 200 "accepted".
    upstream =
        Http2Upstream.start(
            group,
            Integer.MAX_VALUE,
            (ctx, stream) -> {
              if (streams.incrementAndGet() % 2 == 1) {
                ctx.writeAndFlush(
                    new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(stream));
              } else {
                Http2Upstream.answer(ctx, stream, "accepted");
              }
            });
    sidecar = SidecarFixture.start(BOOTSTRAP, Map.of("H2", String.valueOf(upstream.port())));
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRefusedStreamIsRetriedWithRefusedStream() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = get("/refused");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("accepted");
    }
    assertThat(streams.get()).isEqualTo(6); // each request: one refused stream, one answered
  }

  @Test
  void withoutTheConditionARefusedStreamIsA503UpstreamReset() throws Exception {
    HttpResponse<String> r = get("/plain");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("remote refused stream reset");
    assertThat(streams.get()).isEqualTo(1);
  }
}
