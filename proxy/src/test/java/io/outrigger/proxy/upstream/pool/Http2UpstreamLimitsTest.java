package io.outrigger.proxy.upstream.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.outrigger.proxy.server.SidecarOptions;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.Http2Upstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an HTTP/2 upstream tells the pool about its limits: SETTINGS_MAX_CONCURRENT_STREAMS (more
 * streams than that open another connection instead of failing) and GOAWAY (no new stream on that
 * connection; the streams it did not process end as refused, and the connection closes when its
 * last stream has ended). nginx, for one, sends GOAWAY after {@code keepalive_requests} (1,000)
 * requests on a connection and allows 128 streams at a time.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2UpstreamLimitsTest {
  private static final String BOOTSTRAP = Bootstraps.http2Cluster("/retried");

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  /** The requests the upstream has seen and not answered yet (used on its event loop). */
  private final List<Held> held = new ArrayList<>();

  private int requestsSeen; // on the upstream's event loop
  private Http2Upstream upstream;
  private SidecarFixture sidecar;

  private record Held(ChannelHandlerContext ctx, Http2FrameStream stream) {
    void answer() {
      Http2Upstream.answer(ctx, stream, "answered");
    }
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

  @Test
  void moreStreamsThanTheUpstreamAllowsOpenMoreConnections() throws Exception {
    // One stream per connection; each request is answered once three have arrived.
    start(
        1,
        (ctx, stream) -> {
          held.add(new Held(ctx, stream));
          if (held.size() == 3) {
            held.forEach(Held::answer);
            held.clear();
          }
        });
    CompletableFuture<HttpResponse<String>> first = getAsync("/a");
    await().atMost(Duration.ofSeconds(10)).until(onUpstream(() -> requestsSeen == 1));

    List<CompletableFuture<HttpResponse<String>>> all =
        List.of(first, getAsync("/b"), getAsync("/c"));

    for (CompletableFuture<HttpResponse<String>> r : all) {
      assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(r.get().body()).isEqualTo("answered");
    }
    assertThat(upstream.connections()).hasSize(3);
  }

  @Test
  void aStreamAboveTheLastStreamIdOfAGoAwayIsRetriedAsRefused() throws Exception {
    // The first request is held until a second one arrives on its connection; then GOAWAY names
    // the first as the last stream processed, and the first is answered. Later ones are answered.
    start(
        Integer.MAX_VALUE,
        (ctx, stream) -> {
          if (requestsSeen == 1) {
            held.add(new Held(ctx, stream));
            return;
          }
          if (!held.isEmpty() && held.get(0).ctx() == ctx) {
            Held first = held.remove(0);
            // GOAWAY with the first request's stream as the last one processed (a frame written
            // to the codec would name the last stream created, the second's).
            Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
            codec.goAway(
                ctx.pipeline().context(codec),
                first.stream().id(),
                Http2Error.NO_ERROR.code(),
                Unpooled.EMPTY_BUFFER,
                ctx.newPromise());
            first.answer();
            return;
          }
          new Held(ctx, stream).answer();
        });
    CompletableFuture<HttpResponse<String>> first = getAsync("/retried/1");
    await().atMost(Duration.ofSeconds(10)).until(onUpstream(() -> requestsSeen == 1));
    CompletableFuture<HttpResponse<String>> second = getAsync("/retried/2");

    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    HttpResponse<String> r = second.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("answered");
    assertThat(onUpstream(() -> requestsSeen).call()).isEqualTo(3); // held, refused, retried
    assertThat(upstream.connections()).hasSize(2);
    // The told connection closed once its last stream (the first request) had ended.
    await().atMost(Duration.ofSeconds(10)).until(() -> !upstream.connections().get(0).isActive());
  }

  @Test
  void afterAGoAwayTheNextRequestGoesToANewConnection() throws Exception {
    // Each connection answers one request and then says GOAWAY, as nginx does after
    // keepalive_requests, but leaves the connection open to the sidecar.
    start(
        Integer.MAX_VALUE,
        (ctx, stream) -> {
          new Held(ctx, stream).answer();
          ctx.writeAndFlush(
              new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR)
                  .setExtraStreamIds(0)); // last stream id: this one
        });

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = getAsync("/plain").get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      int n = i + 1;
      // The sidecar closes each told connection once its stream has ended.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  upstream.connections().size() == n
                      && !upstream.connections().get(n - 1).isActive());
    }
  }

  private void start(int maxConcurrentStreams, Http2Upstream.Script script) throws Exception {
    upstream =
        Http2Upstream.start(
            group,
            maxConcurrentStreams,
            (ctx, stream) -> {
              requestsSeen++;
              script.onRequest(ctx, stream);
            });
    int port = upstream.port();
    // One event loop: its one pool (pools are per loop) takes every request.
    sidecar =
        SidecarFixture.start(
            BOOTSTRAP,
            Map.of("H2", String.valueOf(port)),
            new SidecarOptions(1, Duration.ofSeconds(1)));
  }

  /** Reads the upstream's state on its event loop. */
  private <T> java.util.concurrent.Callable<T> onUpstream(Supplier<T> read) {
    return () -> group.next().submit(read::get).get();
  }

  private CompletableFuture<HttpResponse<String>> getAsync(String path) {
    // A client per request: each on its own downstream connection, so that they run at once.
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .sendAsync(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
