package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterCallbacks;
import io.outrigger.filters.http.HttpFilterFactory;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.testkit.LeakDetectionExtension;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Responses that streams of one HTTP/2 connection write outside that connection's read (as when
 * their upstreams answer) leave in one flush, once the event loop has handled the rest of what it
 * is doing, instead of one flush, and one {@code writev}, each. On a real event loop: Netty's
 * {@code EmbeddedChannel} runs its pending tasks at every write, which is not what a loop does.
 */
@ExtendWith(LeakDetectionExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2ResponseFlushTest {
  private final ProxyStats stats = new ProxyStats();
  private final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  /** The streams that the filter held at their request headers, to be answered later. */
  private final List<HttpFilterCallbacks> held = new CopyOnWriteArrayList<>();

  /** Flushes that reached the socket of the sidecar's side of the connection. */
  private final AtomicInteger flushes = new AtomicInteger();

  private final AtomicReference<Channel> accepted = new AtomicReference<>();

  @AfterEach
  void close() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    stats.close();
  }

  @Test
  void responsesWrittenOutsideTheConnectionsReadLeaveInOneFlush() throws Exception {
    int port = listen();
    try (Socket client = new Socket("127.0.0.1", port)) {
      client.setSoTimeout(10_000);
      ByteBuf out = prefaceAndSettings();
      get(out, 1, "held");
      get(out, 3, "held");
      get(out, 5, "held");
      send(client, out);
      await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);
      DataInputStream in = new DataInputStream(client.getInputStream());
      readUntil(in, 0x4, 0x1); // the sidecar's SETTINGS ACK: what the read wrote has left
      Channel connection = accepted.get();
      int before = connection.eventLoop().submit(flushes::get).get();

      // The upstreams' answers, as they arrive in one turn of the connection's event loop.
      connection
          .eventLoop()
          .execute(
              () -> {
                for (HttpFilterCallbacks stream : held) {
                  stream.sendLocalReply(200, "held", "held", ResponseFlag.UH);
                }
              });

      assertThat(readHeadersFrames(in, 3)).containsExactly(1, 3, 5);
      assertThat(connection.eventLoop().submit(flushes::get).get() - before).isEqualTo(1);
    }
  }

  @Test
  void aResponseWrittenDuringTheConnectionsReadLeavesWithTheReadsFlush() throws Exception {
    int port = listen();
    try (Socket client = new Socket("127.0.0.1", port)) {
      client.setSoTimeout(10_000);
      send(client, prefaceAndSettings());
      DataInputStream in = new DataInputStream(client.getInputStream());
      readUntil(in, 0x4, 0x1);
      Channel connection = accepted.get();
      int before = connection.eventLoop().submit(flushes::get).get();

      ByteBuf out = Unpooled.buffer();
      get(out, 1, "a"); // answered by the route during the read
      send(client, out);

      assertThat(readHeadersFrames(in, 1)).containsExactly(1);
      // The read's own flush, and no later one for the same response.
      assertThat(connection.eventLoop().submit(flushes::get).get() - before).isEqualTo(1);
    }
  }

  /**
   * A listener on an ephemeral port whose filter holds every request to authority {@code held} and
   * whose route answers every other request itself; a handler next to the socket counts flushes.
   */
  private int listen() {
    HttpFilterFactory holder =
        new HttpFilterFactory() {
          @Override
          public String name() {
            return "test.holder";
          }

          @Override
          public HttpFilter create() {
            return new HttpFilter() {
              @Override
              public FilterStatus onRequestHeaders(
                  HttpRequest request, boolean endOfStream, HttpFilterCallbacks callbacks) {
                if (!"held".equals(request.headers().get("host"))) {
                  return FilterStatus.CONTINUE;
                }
                held.add(callbacks);
                return FilterStatus.STOP_ITERATION;
              }
            };
          }
        };
    HttpConnectionManager hcm =
        new HttpConnectionManager(
            HttpSettings.defaults("h2").withLimits(ConnectionLimits.NONE),
            (req, scheme, ip) ->
                new RouteDecision.Respond(
                    200, "direct".getBytes(StandardCharsets.US_ASCII), null, h -> {}),
            List.of(holder),
            stats.http("h2", "h2"),
            new ClusterManager(List.of(), stats, group, Transport.NIO, new SplittableRandom(1)),
            loop -> null,
            new SplittableRandom(7));
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    accepted.set(ch);
                    ch.pipeline().addLast(new FlushCounter());
                    new HttpCodecs(hcm).install(ch.pipeline());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private final class FlushCounter extends ChannelOutboundHandlerAdapter {
    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
      ctx.flush();
    }
  }

  /** HEADERS, END_STREAM | END_HEADERS: GET http / with a literal :authority (HPACK). */
  private static void get(ByteBuf out, int stream, String authority) {
    ByteBuf block = Unpooled.buffer();
    block.writeByte(0x82).writeByte(0x86).writeByte(0x84).writeByte(0x41);
    block.writeByte(authority.length()).writeCharSequence(authority, StandardCharsets.US_ASCII);
    byte[] payload = new byte[block.readableBytes()];
    block.readBytes(payload).release();
    frame(out, 0x1, 0x5, stream, payload);
  }

  private static ByteBuf prefaceAndSettings() {
    ByteBuf in = Unpooled.buffer();
    in.writeCharSequence("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", StandardCharsets.US_ASCII);
    frame(in, 0x4, 0, 0, new byte[0]); // SETTINGS
    return in;
  }

  private static void send(Socket client, ByteBuf out) throws IOException {
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes).release();
    client.getOutputStream().write(bytes);
    client.getOutputStream().flush();
  }

  /** Reads frames until one of {@code type} with {@code flags}. */
  private static void readUntil(DataInputStream in, int type, int flags) throws IOException {
    while (true) {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int t = in.readUnsignedByte();
      int f = in.readUnsignedByte();
      in.readInt();
      in.skipNBytes(length);
      if (t == type && (f & flags) == flags) {
        return;
      }
    }
  }

  /** The stream ids of the next {@code n} HEADERS frames, in order; other frames are skipped. */
  private static List<Integer> readHeadersFrames(DataInputStream in, int n) throws IOException {
    List<Integer> streams = new ArrayList<>();
    while (streams.size() < n) {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      in.skipNBytes(length);
      if (type == 0x1) {
        streams.add(stream);
      }
    }
    return streams;
  }

  private static void frame(ByteBuf out, int type, int flags, int stream, byte[] payload) {
    out.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(stream);
    out.writeBytes(payload);
  }
}
