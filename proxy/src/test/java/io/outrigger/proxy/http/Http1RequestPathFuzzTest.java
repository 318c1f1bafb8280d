package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes a client sends to an HTTP/1.1 connection manager (answering every request itself, on an
 * {@code EmbeddedChannel}): nothing escapes the pipeline, and everything written back is an
 * HTTP/1.1 response. Committed inputs under {@code Http1RequestPathFuzzTestInputs} replay in every
 * build, with Netty's paranoid leak detection on; {@code mvn -Pfuzz} fuzzes.
 */
class Http1RequestPathFuzzTest {
  private static final ProxyStats STATS = new ProxyStats();
  private static final MultiThreadIoEventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private static final HttpConnectionManager HCM =
      new HttpConnectionManager(
          HttpSettings.defaults("fuzz").withLimits(ConnectionLimits.NONE),
          (req, scheme, ip) ->
              new RouteDecision.Respond(200, "answered " + req.method(), null, h -> {}),
          List.of(),
          STATS.http("fuzz", "fuzz"),
          new ClusterManager(List.of(), STATS, GROUP, Transport.NIO, new SplittableRandom(1)),
          loop -> null,
          new SplittableRandom(7));

  @AfterAll
  static void close() {
    GROUP.shutdownGracefully().syncUninterruptibly();
    STATS.close();
  }

  @FuzzTest(maxDuration = "60s")
  void anyBytesAreAnsweredOrRefusedAndNothingEscapes(byte[] data) {
    EmbeddedChannel channel = new EmbeddedChannel();
    new HttpCodecs(HCM).install(channel.pipeline());
    // Two writes, split where the input says, as a client's segments would arrive.
    int split = data.length == 0 ? 0 : Math.floorMod(data[0], data.length);
    channel.writeInbound(Unpooled.wrappedBuffer(data, 0, split));
    if (channel.isOpen()) { // a refused request closes the connection: the rest is never read
      channel.writeInbound(Unpooled.wrappedBuffer(data, split, data.length - split));
    }
    channel.runPendingTasks();
    channel.checkException();
    boolean http2 = new String(data, StandardCharsets.ISO_8859_1).startsWith("PRI * HTTP/2.0");
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
}
