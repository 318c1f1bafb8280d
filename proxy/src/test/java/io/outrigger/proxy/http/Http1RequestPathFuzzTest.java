package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes a client sends to a connection manager (answering every request itself, on an {@code
 * EmbeddedChannel}; {@code codec_type: AUTO}, so HTTP/2 after the preface, HTTP/1.1 otherwise):
 * nothing escapes the pipeline, and what an HTTP/1.1 client gets back is an HTTP/1.1 response.
 * Committed inputs under {@code Http1RequestPathFuzzTestInputs} replay in every build, with Netty's
 * paranoid leak detection on; {@code mvn -Pfuzz} fuzzes.
 */
class Http1RequestPathFuzzTest {
  private static final String HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  private static final ProxyStats STATS = new ProxyStats();
  private static final MultiThreadIoEventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private static final HttpConnectionManager HCM =
      new HttpConnectionManager(
          HttpSettings.defaults("fuzz").withLimits(ConnectionLimits.NONE),
          (req, scheme, ip) ->
              new RouteDecision.Respond(
                  200,
                  ("answered " + req.method()).getBytes(StandardCharsets.US_ASCII),
                  null,
                  h -> {}),
          List.of(),
          STATS.http("fuzz", "fuzz"),
          new ClusterManager(List.of(), STATS, GROUP, Transport.NIO, new SplittableRandom(1)),
          loop -> null,
          new SplittableRandom(7));

  private static final Channel ACCEPTOR = new Acceptor();

  @AfterAll
  static void close() {
    ACCEPTOR.close();
    GROUP.shutdownGracefully().syncUninterruptibly();
    STATS.close();
  }

  @FuzzTest(maxDuration = "60s")
  void anyBytesAreAnsweredOrRefusedAndNothingEscapes(byte[] data) {
    // A parent that is a server channel, as an accepted connection has: Netty's HTTP/2 multiplexer
    // takes a connection without one for a client's, and stream 1 for an upgrade it refuses.
    EmbeddedChannel channel =
        new EmbeddedChannel(ACCEPTOR, DefaultChannelId.newInstance(), true, false);
    new HttpCodecs(HCM).install(channel.pipeline());
    // Two writes, split where the input says, as a client's segments would arrive.
    int split = data.length == 0 ? 0 : Math.floorMod(data[0], data.length);
    channel.writeInbound(Unpooled.wrappedBuffer(data, 0, split));
    if (channel.isOpen()) { // a refused request closes the connection: the rest is never read
      channel.writeInbound(Unpooled.wrappedBuffer(data, split, data.length - split));
    }
    channel.runPendingTasks();
    channel.checkException();
    // The codec sniffer picks HTTP/2 on the whole preface only; anything else is HTTP/1.1.
    boolean http2 = new String(data, StandardCharsets.ISO_8859_1).startsWith(HTTP2_PREFACE);
    Object out;
    boolean first = !http2;
    while ((out = channel.readOutbound()) != null) {
      if (first && out instanceof ByteBuf b && b.isReadable()) {
        assertThat(b.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 ");
        first = false;
      }
      ReferenceCountUtil.release(out);
    }
    channel.finishAndReleaseAll();
  }

  /** Stands for the listening socket that accepted the connection. */
  private static final class Acceptor extends EmbeddedChannel implements ServerChannel {}
}
