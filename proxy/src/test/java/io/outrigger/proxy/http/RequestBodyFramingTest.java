package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.Http2Clients;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request body whose framing breaks after its headers went upstream never reaches the upstream as
 * a complete request: the upstream request is reset, the client gets 400 (or a reset), and the
 * error is counted. Each framing error of RFC 9112 §7.1, the body cut short by a FIN, and HTTP/2
 * DATA that disagrees with {@code content-length}; against a real sidecar whose upstream records
 * whether each body ended as its framing said.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestBodyFramingTest {
  private static final String CHUNKED_HEAD =
      "PUT /record HTTP/1.1\r\nHost: kv\r\nTransfer-Encoding: chunked\r\n\r\n";

  private HttpUpstream upstream;
  private SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    upstream = new HttpUpstream("u1");
    sidecar = SidecarFixture.start(Bootstraps.httpProxy("edge", upstream.port()), Map.of());
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    upstream.close();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "ffffffffffffffffff\r\nhello\r\n0\r\n\r\n", // chunk-size overflow
        "0x5\r\nhello\r\n0\r\n\r\n", // a prefix
        "+5\r\nhello\r\n0\r\n\r\n", // a sign
        "5 \r\nhello\r\n0\r\n\r\n", // whitespace where only an extension may follow
        "5\nhello\r\n0\r\n\r\n", // chunk-size line ended by a bare LF
        "5\r\nhelloXX0\r\n\r\n", // chunk data not followed by CRLF
        "5\r\nhello\n0\r\n\r\n", // chunk data followed by a bare LF
        "5;a=\"b\rc\"\r\nhello\r\n0\r\n\r\n", // a quoted extension holding a CR
        "5\r\nhello\r\n0\r\nX-Trailer: 1\n\r\n", // a trailer line ended by a bare LF
      })
  void aFramingErrorAfterTheHeadersWentUpstreamResetsTheUpstreamRequest(String badTail)
      throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      send(out, CHUNKED_HEAD + "5\r\nfirst\r\n");
      await().until(() -> upstream.seen().size() == 1); // the headers reached the upstream

      send(out, badTail);
      String response = readAll(s.getInputStream());

      assertThat(response).startsWith("HTTP/1.1 400");
      assertThat(response.toLowerCase()).contains("connection: close");
    }
    await().until(() -> upstream.bodies().size() == 1);
    assertThat(upstream.bodies().get(0).complete()).as("upstream saw a complete body").isFalse();
    assertThat(
            sidecar.metric(
                "envoy_http_downstream_cx_protocol_error{envoy_http_conn_manager_prefix=\"edge\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void aFramingErrorInTheFirstReadNeverReachesTheUpstreamAsARequest() throws Exception {
    try (Socket s = connect()) {
      send(
          s.getOutputStream(), CHUNKED_HEAD + "5\r\nfirst\r\nfffffffffffffffff1\r\nx\r\n0\r\n\r\n");
      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 400");
    }
    // A good request after it: the only complete body the upstream ever sees is this one.
    try (Socket s = connect()) {
      send(s.getOutputStream(), CHUNKED_HEAD.replace("PUT", "POST") + "4\r\ngood\r\n0\r\n\r\n");
      assertThat(readLine(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
    assertThat(upstream.bodies()).extracting(HttpUpstream.Body::complete).contains(true);
    assertThat(upstream.bodies())
        .filteredOn(HttpUpstream.Body::complete)
        .extracting(HttpUpstream.Body::text)
        .containsExactly("good");
  }

  @Test
  void aContentLengthBodyCutShortByTheClientsFinIsNeverCompletedUpstream() throws Exception {
    try (Socket s = connect()) {
      send(
          s.getOutputStream(),
          "PUT /record HTTP/1.1\r\nHost: kv\r\nContent-Length: 10\r\n\r\nhello");
      await().until(() -> upstream.seen().size() == 1);

      s.shutdownOutput();
      String response = readAll(s.getInputStream());

      assertThat(response).startsWith("HTTP/1.1 400");
    }
    await().until(() -> upstream.bodies().size() == 1);
    assertThat(upstream.bodies().get(0).complete()).isFalse();
  }

  @Test
  void aChunkedBodyCutShortByTheClientsFinIsNeverCompletedUpstream() throws Exception {
    try (Socket s = connect()) {
      send(s.getOutputStream(), CHUNKED_HEAD + "5\r\nfirst\r\n");
      await().until(() -> upstream.seen().size() == 1);

      s.shutdownOutput();
      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 400");
    }
    await().until(() -> upstream.bodies().size() == 1);
    assertThat(upstream.bodies().get(0).complete()).isFalse();
  }

  @Test
  void aWellFramedChunkedBodyStillArrivesWhole() throws Exception {
    try (Socket s = connect()) {
      send(s.getOutputStream(), CHUNKED_HEAD + "5;name=\"v\"\r\nhello\r\n1\r\n!\r\n0\r\n\r\n");
      assertThat(readLine(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
    assertThat(upstream.bodies()).containsExactly(new HttpUpstream.Body(true, "hello!"));
  }

  @Test
  void anHttp2BodyShorterThanItsContentLengthIsNeverCompletedUpstream() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Channel connection = Http2Clients.connect(group, sidecar.listener("edge"));
      Http2StreamChannel stream =
          new Http2StreamChannelBootstrap(connection)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      if (msg instanceof Http2HeadersFrame h) {
                        outcome.complete(h.headers().status().toString());
                      } else if (msg instanceof Http2ResetFrame r) {
                        outcome.complete("reset " + r.errorCode());
                      }
                      ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                      outcome.complete("closed");
                    }
                  })
              .open()
              .sync()
              .getNow();
      DefaultHttp2Headers headers = new DefaultHttp2Headers();
      headers.method("PUT").path("/record").scheme("http").authority("kv");
      headers.set("content-length", "10");
      stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false)).sync();
      await().until(() -> upstream.seen().size() == 1);

      stream
          .writeAndFlush(
              new DefaultHttp2DataFrame(
                  Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), true))
          .sync();

      assertThat(outcome.get(10, TimeUnit.SECONDS)).isNotEqualTo("200");
      await().until(() -> upstream.bodies().size() == 1);
      assertThat(upstream.bodies().get(0).complete()).isFalse();
      connection.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", sidecar.listener("edge").getPort());
    s.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
    return s;
  }

  private static void send(OutputStream out, String bytes) throws IOException {
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      sb.append((char) b);
    }
    return sb.toString();
  }
}
