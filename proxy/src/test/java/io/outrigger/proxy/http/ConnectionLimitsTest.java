package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.api.model.http.HeadersWithUnderscoresAction;
import io.outrigger.proxy.testkit.Http2Clients;
import io.outrigger.proxy.testkit.HttpProxyFixture;
import io.outrigger.proxy.testkit.HttpUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What bounds a downstream connection: {@code request_headers_timeout} against slowloris, {@code
 * max_requests_per_connection} and {@code max_connection_duration} (drain: {@code Connection:
 * close} on HTTP/1.1, GOAWAY on HTTP/2), and {@code headers_with_underscores_action}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {
  private HttpUpstream upstream;
  private HttpProxyFixture proxy;

  private void start(HttpSettings settings) throws Exception {
    upstream = new HttpUpstream("u1");
    RouteResolver all = HttpProxyFixture.forwardAll("service", Duration.ofSeconds(5), true);
    proxy = new HttpProxyFixture(settings, all, Map.of("service", List.of(upstream.port())), false);
  }

  private void start(ConnectionLimits limits) throws Exception {
    start(HttpSettings.defaults("ingress").withLimits(limits));
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(5_000);
    return s;
  }

  @Test
  void headersTricklingPastRequestHeadersTimeoutGet408AndTheConnectionCloses() throws Exception {
    start(new ConnectionLimits(Duration.ofMillis(300), Duration.ZERO, 0));
    try (Socket s = connect()) {
      write(s, "GET /slow HTTP/1.1\r\nHost: x\r\nX-Part: 1\r\n"); // never ends its headers

      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(response).startsWith("HTTP/1.1 408");
      assertThat(response).contains("request header timeout");
    }
    assertThat(upstream.seen()).isEmpty();
    assertThat(proxy.stats().registry().get("downstream_rq_header_timeout").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void requestHeadersTimeoutLeavesAnIdleKeepAliveConnectionAndASlowBodyAlone() throws Exception {
    start(new ConnectionLimits(Duration.ofMillis(200), Duration.ZERO, 0));
    try (Socket s = connect()) {
      write(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");

      s.setSoTimeout(600); // three timeouts long: idle between requests is not a header wait
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);

      s.setSoTimeout(5_000);
      write(s, "POST /echo-sha HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
      Thread.sleep(400); // a slow body, twice the header timeout: only headers are timed
      write(s, "cd");
      assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void theLastRequestAllowedOnAnHttp1ConnectionIsAnsweredWithConnectionClose() throws Exception {
    start(new ConnectionLimits(Duration.ZERO, Duration.ZERO, 2));
    try (Socket s = connect()) {
      write(s, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(s.getInputStream()).toLowerCase())
          .doesNotContain("connection: close");

      write(s, "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
      String rest = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(rest).startsWith("HTTP/1.1 200");
      assertThat(rest.toLowerCase()).contains("connection: close");
    }
    assertThat(upstream.seen()).hasSize(2);
    assertThat(proxy.stats().registry().get("downstream_cx_max_requests_reached").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void anIdleHttp1ConnectionPastMaxConnectionDurationIsClosed() throws Exception {
    start(new ConnectionLimits(Duration.ZERO, Duration.ofMillis(300), 0));
    try (Socket s = connect()) {
      write(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");

      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the proxy
    }
    assertThat(proxy.stats().registry().get("downstream_cx_max_duration_reached").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void anHttp2ConnectionThatCarriedItsLastStreamGetsGoAway() throws Exception {
    start(new ConnectionLimits(Duration.ZERO, Duration.ZERO, 1));
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      CompletableFuture<Http2GoAwayFrame> goAway = new CompletableFuture<>();
      Channel connection =
          Http2Clients.connect(
              group,
              new InetSocketAddress("127.0.0.1", proxy.port()),
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  if (msg instanceof Http2GoAwayFrame g) {
                    goAway.complete(g.retainedDuplicate());
                  }
                  ReferenceCountUtil.release(msg);
                }
              });
      CompletableFuture<String> status = new CompletableFuture<>();
      var stream =
          Http2Clients.openStream(
              connection,
              msg -> {
                if (msg instanceof Http2HeadersFrame h && h.headers().status() != null) {
                  status.complete(h.headers().status().toString());
                }
              });
      DefaultHttp2Headers headers = new DefaultHttp2Headers();
      headers.method("GET").path("/h2").scheme("http").authority("x");
      stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true)).sync();

      assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo("200");
      Http2GoAwayFrame frame = goAway.get(5, TimeUnit.SECONDS);
      assertThat(frame.errorCode()).isZero(); // NO_ERROR: a graceful drain
      frame.release();
      await().until(() -> !connection.isActive());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void headersWithUnderscoresAreRefusedOrDroppedAsConfigured() throws Exception {
    start(
        HttpSettings.defaults("ingress")
            .withHeadersWithUnderscores(HeadersWithUnderscoresAction.REJECT_REQUEST));
    try (Socket s = connect()) {
      write(s, "GET /a HTTP/1.1\r\nHost: x\r\nX_User: admin\r\n\r\n");
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 400");
    }
    assertThat(upstream.seen()).isEmpty();
    stop();

    start(
        HttpSettings.defaults("ingress")
            .withHeadersWithUnderscores(HeadersWithUnderscoresAction.DROP_HEADER));
    try (Socket s = connect()) {
      write(s, "GET /a HTTP/1.1\r\nHost: x\r\nX_User: admin\r\nX-Kept: 1\r\n\r\n");
      assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
    assertThat(upstream.seen().get(0).header("x_user")).isNull();
    assertThat(upstream.seen().get(0).header("x-kept")).isEqualTo("1");
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one response with a Content-Length body (what the test upstream sends). */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }
}
