package io.outrigger.proxy.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
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
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.Http2Clients;
import io.outrigger.proxy.testkit.LeakDetectionExtension;
import io.outrigger.proxy.testkit.RawHttp2;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/2 streams served at the frame level keep flow control end to end: a slow upstream holds a
 * client's upload back through the stream's window, a client that does not read holds the
 * upstream's response back, a client's RST_STREAM frees the upstream, an answer given before the
 * request ended asks the client to stop sending (RST_STREAM NO_ERROR), and a stream error the codec
 * finds resets that stream with its own code.
 */
@ExtendWith(LeakDetectionExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2StreamFlowTest {
  private static final int WINDOW = 65_535;
  private static final long BIG = 32L * 1024 * 1024;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private TcpUpstream upstream;
  private SidecarFixture sidecar;

  @AfterEach
  void stop() throws IOException {
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * A sidecar to {@code upstream} whose downstream HTTP/2 stream window is the protocol's 64 KiB.
   */
  private void start(TcpUpstream.Behaviour behaviour) throws Exception {
    upstream = TcpUpstream.start(behaviour);
    String yaml =
        Bootstraps.httpProxy("edge", upstream.port())
            .replaceFirst(
                "(?m)^( *)stat_prefix: edge$",
                "$1stat_prefix: edge\n$1http2_protocol_options: { initial_stream_window_size: "
                    + WINDOW
                    + " }");
    sidecar = SidecarFixture.start(yaml, Map.of());
  }

  @Test
  void aSlowUpstreamHoldsALargeUploadBackThroughTheStreamWindow() throws Exception {
    CountDownLatch upstreamReads = new CountDownLatch(1);
    AtomicLong bodyRead = new AtomicLong();
    start(
        (s, u) -> {
          waitFor(upstreamReads);
          InputStream in = s.getInputStream();
          readHead(in);
          byte[] buf = new byte[64 * 1024];
          int n;
          while (bodyRead.get() < BIG && (n = in.read(buf)) >= 0) {
            bodyRead.addAndGet(n);
          }
          answer(s.getOutputStream(), "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        });
    Client client = new Client();
    Http2StreamChannel stream = client.open();
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(request("PUT", "/upload", BIG), false));
    AtomicLong sent = new AtomicLong();
    Uploader uploader = new Uploader(stream, sent);
    stream.eventLoop().execute(uploader::pump);

    // The upstream reads nothing: what the client can send is bounded by the stream's window and
    // the buffers on the way, far below the body.
    AtomicLong last = new AtomicLong(-1);
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(20))
        .until(() -> sent.get() == last.getAndSet(sent.get()));
    assertThat(sent.get()).isPositive().isLessThan(BIG / 2);

    upstreamReads.countDown();
    assertThat(client.events.poll(30, TimeUnit.SECONDS)).isEqualTo("headers 200");
    assertThat(sent.get()).isEqualTo(BIG);
    assertThat(bodyRead.get()).isEqualTo(BIG);
    client.close();
  }

  @Test
  void aClientThatDoesNotReadHoldsTheUpstreamResponseBack() throws Exception {
    AtomicLong written = new AtomicLong();
    start(
        (s, u) -> {
          readHead(s.getInputStream());
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + BIG + "\r\n\r\n").getBytes(US_ASCII));
          byte[] chunk = new byte[64 * 1024];
          for (long n = 0; n < BIG; n += chunk.length) {
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
          out.flush();
        });
    Client client = new Client();
    Http2StreamChannel stream = client.open();
    stream.config().setAutoRead(false); // the client's window is never returned: it stays shut
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(request("GET", "/download", -1), true));
    stream.read();

    AtomicLong last = new AtomicLong(-1);
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(20))
        .until(() -> written.get() == last.getAndSet(written.get()));
    assertThat(written.get()).isLessThan(BIG / 2);

    stream.config().setAutoRead(true);
    await().atMost(Duration.ofSeconds(30)).until(() -> client.bodyBytes.get() == BIG);
    assertThat(written.get()).isEqualTo(BIG);
    client.close();
  }

  @Test
  void aClientResetMidResponseFreesTheUpstreamAndKeepsTheConnection() throws Exception {
    AtomicBoolean upstreamCut = new AtomicBoolean();
    start(
        (s, u) -> {
          readHead(s.getInputStream());
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + BIG + "\r\n\r\n").getBytes(US_ASCII));
          byte[] chunk = new byte[16 * 1024];
          try {
            for (long n = 0; n < BIG; n += chunk.length) {
              out.write(chunk);
              out.flush();
            }
          } catch (IOException e) {
            upstreamCut.set(true);
          }
        });
    Client client = new Client();
    Http2StreamChannel stream = client.open();
    stream.config().setAutoRead(false); // one frame per read: the response cannot finish first
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(request("GET", "/download", -1), true));
    stream.read();
    assertThat(client.events.poll(10, TimeUnit.SECONDS)).isEqualTo("headers 200");
    stream.read();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.bodyBytes.get() > 0);

    stream.close().sync(); // RST_STREAM(CANCEL)

    await().atMost(Duration.ofSeconds(10)).until(upstreamCut::get);
    assertThat(sidecar.listenerMetric("downstream_cx_active", "edge")).isEqualTo(1.0);
    client.close();
  }

  @Test
  void anAnswerGivenBeforeTheRequestEndedAsksTheClientToStopSending() throws Exception {
    start(
        (s, u) -> {
          InputStream in = s.getInputStream();
          readHead(in);
          in.readNBytes(5); // what the client sent of its 10 bytes; the answer comes first
          answer(
              s.getOutputStream(), "HTTP/1.1 413 Payload Too Large\r\ncontent-length: 0\r\n\r\n");
          while (in.read() >= 0) {
            // until the sidecar gives the connection up
          }
        });
    Client client = new Client();
    Http2StreamChannel stream = client.open();
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(request("PUT", "/upload", 10), false));
    stream.writeAndFlush(
        new DefaultHttp2DataFrame(Unpooled.copiedBuffer("hello", US_ASCII), false));

    assertThat(client.events.poll(10, TimeUnit.SECONDS)).isEqualTo("headers 413");
    assertThat(client.events.poll(10, TimeUnit.SECONDS)).isEqualTo("end");
    assertThat(client.events.poll(10, TimeUnit.SECONDS))
        .isEqualTo("reset " + Http2Error.NO_ERROR.code());
    assertThat(sidecar.listenerMetric("downstream_cx_active", "edge")).isEqualTo(1.0);
    client.close();
  }

  @Test
  void aClientThatOverrunsTheStreamWindowGetsItsStreamResetWithFlowControlError() throws Exception {
    start(
        (s, u) -> {
          InputStream in = s.getInputStream();
          while (in.read() >= 0) {
            // the request never ends here; the stream is reset first
          }
        });
    try (Socket s = new Socket("127.0.0.1", sidecar.listener("edge").getPort())) {
      s.setSoTimeout(10_000);
      // All of it in one write, so that the sidecar reads it in one go: the stream's window is
      // overrun before its upstream connection can be ready to take (and so return) any of it.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(RawHttp2.PREFACE);
      RawHttp2.write(out, RawHttp2.SETTINGS, 0, 0, new byte[0]);
      // HEADERS, END_HEADERS: POST http / with :authority "a" (HPACK); the body follows
      RawHttp2.write(
          out,
          RawHttp2.HEADERS,
          RawHttp2.END_HEADERS,
          1,
          new byte[] {(byte) 0x83, (byte) 0x86, (byte) 0x84, 0x41, 0x01, 'a'});
      byte[] data = new byte[16 * 1024];
      for (int i = 0; i < 5; i++) { // 80 KiB into a 64 KiB window
        RawHttp2.write(out, RawHttp2.DATA, 0, 1, data);
      }
      s.getOutputStream().write(out.toByteArray());

      List<RawHttp2.Frame> got =
          RawHttp2.readUntil(
              new DataInputStream(s.getInputStream()),
              f -> f.type() == RawHttp2.RST_STREAM && f.stream() == 1);
      assertThat(got.get(got.size() - 1).code()).isEqualTo(Http2Error.FLOW_CONTROL_ERROR.code());
      // A stream error: the connection stays.
      assertThat(sidecar.listenerMetric("downstream_cx_active", "edge")).isEqualTo(1.0);
    }
  }

  // ---- helpers ----

  private static DefaultHttp2Headers request(String method, String path, long length) {
    DefaultHttp2Headers h = new DefaultHttp2Headers();
    h.method(method).path(path).scheme("http").authority("kv");
    if (length >= 0) {
      h.set("content-length", Long.toString(length));
    }
    return h;
  }

  private static void waitFor(CountDownLatch latch) throws IOException {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  /** Reads a request head, up to its blank line. */
  private static void readHead(InputStream in) throws IOException {
    if (!TcpUpstream.readHead(in)) {
      throw new IOException("closed in the request head");
    }
  }

  private static void answer(OutputStream out, String response) throws IOException {
    out.write(response.getBytes(US_ASCII));
    out.flush();
  }

  /** Sends BIG bytes of body in 16 KiB DATA frames, as fast as the stream's window lets it. */
  private static final class Uploader extends ChannelInboundHandlerAdapter {
    private final Http2StreamChannel stream;
    private final AtomicLong sent;

    Uploader(Http2StreamChannel stream, AtomicLong sent) {
      this.stream = stream;
      this.sent = sent;
      stream.pipeline().addLast(this);
    }

    void pump() {
      while (stream.isWritable() && sent.get() < BIG) {
        int n = (int) Math.min(16 * 1024, BIG - sent.get());
        sent.addAndGet(n);
        stream.write(
            new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[n]), sent.get() == BIG));
      }
      stream.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      pump();
      ctx.fireChannelWritabilityChanged();
    }
  }

  /** A prior-knowledge HTTP/2 client connection to the sidecar's listener. */
  private final class Client {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final AtomicLong bodyBytes = new AtomicLong();
    private final Channel connection;

    Client() throws InterruptedException {
      connection = Http2Clients.connect(group, sidecar.listener("edge"));
    }

    Http2StreamChannel open() throws InterruptedException {
      return new Http2StreamChannelBootstrap(connection)
          .handler(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  if (msg instanceof Http2HeadersFrame h) {
                    if (h.headers().status() != null) {
                      events.add("headers " + h.headers().status());
                    }
                    if (h.isEndStream()) {
                      events.add("end");
                    }
                  } else if (msg instanceof Http2DataFrame d) {
                    bodyBytes.addAndGet(d.content().readableBytes());
                    if (d.isEndStream()) {
                      events.add("end");
                    }
                  } else if (msg instanceof Http2ResetFrame r) {
                    events.add("reset " + r.errorCode());
                  }
                  ReferenceCountUtil.release(msg);
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                  if (evt instanceof Http2ResetFrame r) {
                    events.add("reset " + r.errorCode());
                  }
                  ctx.fireUserEventTriggered(evt);
                }
              })
          .open()
          .sync()
          .getNow();
    }

    void close() throws InterruptedException {
      connection.close().sync();
    }
  }
}
