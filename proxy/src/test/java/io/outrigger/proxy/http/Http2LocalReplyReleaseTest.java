package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 request whose HEADERS end the stream arrives as a {@code FullHttpRequest}; when the
 * proxy answers it itself (no router takes it over), nothing it holds may leak. The fuzzer found
 * such a leak when the request carried a pooled buffer of its own ({@code
 * Http1RequestPathFuzzTest}, docs/security.md#findings); it now carries the shared empty buffer,
 * which needs no release, and the leak detector ({@code LeakDetectionExtension}) checks every
 * buffer the exchange wrote.
 */
class Http2LocalReplyReleaseTest {
  private final ProxyStats stats = new ProxyStats();
  private final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<HttpRequest> routed = new ArrayList<>();

  /** Stands for the listening socket that accepted the connection. */
  private final EmbeddedChannel acceptor = new Acceptor();

  @AfterEach
  void close() {
    acceptor.close();
    group.shutdownGracefully().syncUninterruptibly();
    stats.close();
  }

  @Test
  void anHttp2RequestAnsweredByADirectResponseIsReleased() {
    EmbeddedChannel channel = http2Connection();
    ByteBuf in = prefaceAndSettings();
    // HEADERS, END_STREAM | END_HEADERS: GET http / with :authority "a" (HPACK)
    frame(in, 0x1, 0x5, 1, new byte[] {(byte) 0x82, (byte) 0x86, (byte) 0x84, 0x41, 0x01, 'a'});
    channel.writeInbound(in);
    channel.runPendingTasks();

    assertThat(routed).hasSize(1);
    assertThat(routed.get(0)).isInstanceOf(FullHttpRequest.class);
    assertThat(((FullHttpRequest) routed.get(0)).content()).isSameAs(Unpooled.EMPTY_BUFFER);
    channel.finishAndReleaseAll();
  }

  @Test
  void aWholeHttp2RequestHttp11CannotCarryIsResetAndNothingLeaks() {
    EmbeddedChannel channel = http2Connection();
    ByteBuf in = prefaceAndSettings();
    // HEADERS, END_STREAM | END_HEADERS: :method "GE T" (a literal; no method has a space), http /
    frame(
        in,
        0x1,
        0x5,
        1,
        new byte[] {0x02, 0x04, 'G', 'E', ' ', 'T', (byte) 0x86, (byte) 0x84, 0x41, 0x01, 'a'});
    channel.writeInbound(in);
    channel.runPendingTasks();

    assertThat(routed).isEmpty();
    assertThat(resetCodes(channel)).containsExactly(0x1L); // PROTOCOL_ERROR
    channel.finishAndReleaseAll();
  }

  /**
   * A downstream HTTP/2 connection whose route table answers every request itself, recording it in
   * {@link #routed}.
   */
  private EmbeddedChannel http2Connection() {
    HttpConnectionManager hcm =
        new HttpConnectionManager(
            HttpSettings.defaults("h2").withLimits(ConnectionLimits.NONE),
            (req, scheme, ip) -> {
              routed.add(req);
              return new RouteDecision.Respond(
                  200, "direct".getBytes(StandardCharsets.US_ASCII), null, h -> {});
            },
            List.of(),
            stats.http("h2", "h2"),
            new ClusterManager(List.of(), stats, group, Transport.NIO, new SplittableRandom(1)),
            loop -> null,
            new SplittableRandom(7));
    EmbeddedChannel channel =
        new EmbeddedChannel(acceptor, DefaultChannelId.newInstance(), true, false);
    new HttpCodecs(hcm).install(channel.pipeline());
    return channel;
  }

  /** The client's connection preface and its (empty) SETTINGS frame. */
  private static ByteBuf prefaceAndSettings() {
    ByteBuf in = Unpooled.buffer();
    in.writeCharSequence("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", StandardCharsets.US_ASCII);
    frame(in, 0x4, 0, 0, new byte[0]); // SETTINGS
    return in;
  }

  /** The error codes of the RST_STREAM frames the connection wrote. */
  private static List<Long> resetCodes(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    for (Object o; (o = channel.readOutbound()) != null; ) {
      all.writeBytes((ByteBuf) o);
      ((ByteBuf) o).release();
    }
    List<Long> codes = new ArrayList<>();
    while (all.readableBytes() >= 9) {
      int length = all.readUnsignedMedium();
      int type = all.readUnsignedByte();
      all.skipBytes(5);
      if (type == 0x3) {
        codes.add(all.getUnsignedInt(all.readerIndex()));
      }
      all.skipBytes(length);
    }
    all.release();
    return codes;
  }

  private static void frame(ByteBuf out, int type, int flags, int stream, byte[] payload) {
    out.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(stream);
    out.writeBytes(payload);
  }

  /** A server channel, so that the connection is a server's. */
  private static final class Acceptor extends EmbeddedChannel implements ServerChannel {}
}
