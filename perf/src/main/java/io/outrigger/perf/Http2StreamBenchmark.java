package io.outrigger.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.outrigger.proxy.http.HttpCodecs;
import io.outrigger.proxy.http.HttpConnectionManager;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/2 stream through the downstream side of the data path on an {@link EmbeddedChannel}, the
 * HTTP/2 twin of {@link RequestPathBenchmark}: a client's HEADERS frame (END_STREAM, HPACK-indexed
 * as in the steady state of a connection) in, the frame codec, the connection manager, the route
 * match, the router and a {@code direct_response}, and the response's HEADERS and DATA frames out.
 * No sockets and no upstream: what is left is the per-stream cost of the downstream HTTP/2 path.
 *
 * <p>Each operation also returns the two bytes of response body to the connection's flow-control
 * window (a WINDOW_UPDATE on stream 0 in the same read), as a client does, so that the proxy's send
 * window never closes. The frames are written once in {@link #setUp()}; an operation only writes
 * the next stream id into them, so the client side allocates nothing but a buffer view.
 *
 * <p>The forked JVM samples Netty's leak detector as {@code bin/outrigger} does (one buffer in
 * 1,024, {@link Bootstraps#LEAK_SAMPLING}), not at Netty's default of one in 128: each sample
 * records a stack trace, which at one in 128 added about 100 bytes per stream.
 *
 * <p>The operations run in batches with Netty's thread-local support ({@link EventLoopBatch}), as
 * on a sidecar's event loop, where Netty's recyclers pool the objects they pool: without it each
 * stream counted a {@code ChannelOutboundBuffer} entry per write that a sidecar does not allocate.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Bootstraps.LEAK_SAMPLING)
@State(Scope.Thread)
public class Http2StreamBenchmark {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int FRAME_HEADER = 9;
  private static final byte DATA = 0x0;
  private static final byte HEADERS = 0x1;
  private static final byte SETTINGS = 0x4;
  private static final byte WINDOW_UPDATE = 0x8;
  private static final byte END_STREAM = 0x1;
  private static final byte END_HEADERS = 0x4;
  private static final String BODY = "ok";

  private EventLoopGroup group;
  private ProxyStats stats;
  private ClusterManager clusters;
  private NioServerSocketChannel listener;
  private EmbeddedChannel channel;
  private DefaultHttp2HeadersEncoder hpack;

  /** WINDOW_UPDATE(0, body) then HEADERS on a stream whose id {@link #request()} rewrites. */
  private ByteBuf request;

  /** The types of the frames other than DATA in the last exchange, for an error message. */
  private final StringBuilder frames = new StringBuilder();

  private int streamIdOffset;
  private int streamId = 1;

  @Setup
  public void setUp() throws Http2Exception {
    group = Transport.NIO.newEventLoopGroup(1, "bench");
    stats = new ProxyStats();
    SplittableRandom random = new SplittableRandom(1);
    clusters = new ClusterManager(List.of(), stats, group, Transport.NIO, random);
    HttpConnectionManager hcm =
        Bootstraps.manager(
            Bootstraps.connectionManager(Bootstraps.load(Bootstraps.listener(HCM))),
            stats,
            clusters,
            loop -> null,
            random);
    // A server's connection has a server channel as its parent; Netty's HTTP/2 multiplexer tells
    // server from client by it (stream 1 would otherwise count as an h2c upgrade's stream).
    listener = new NioServerSocketChannel();
    channel = new EmbeddedChannel(listener, DefaultChannelId.newInstance(), true, false);
    new HttpCodecs(hcm).install(channel.pipeline());
    hpack = new DefaultHttp2HeadersEncoder();

    ByteBuf open = Unpooled.buffer();
    open.writeBytes(PREFACE);
    frameHeader(open, 0, SETTINGS, 0, 0); // the client's settings: the defaults
    frameHeader(open, 0, SETTINGS, 0x1, 0); // ACK of the proxy's, which it sends first
    channel.writeInbound(open);
    drain(null);

    // The first stream puts the headers into both HPACK tables; from the second on, every
    // stream's block is the same indexed one, which the template keeps.
    String first = exchange(headersFrame(Unpooled.buffer(), nextStreamId()));
    if (!first.strip().equals(BODY)) {
      throw new IllegalStateException(
          "the first stream was answered with [" + first + "]; other frames: " + frames);
    }
    ByteBuf template = Unpooled.directBuffer();
    frameHeader(template, 4, WINDOW_UPDATE, 0, 0);
    template.writeInt(first.length());
    streamIdOffset = template.writerIndex() + 5;
    headersFrame(template, nextStreamId());
    request = Unpooled.unreleasableBuffer(template);
    String second = exchange(request.duplicate());
    if (!second.equals(first)) {
      throw new IllegalStateException("unexpected response body: [" + second + "]");
    }
  }

  @TearDown
  public void tearDown() {
    if (!channel.isOpen()) {
      throw new IllegalStateException("the proxy closed the connection during the run");
    }
    channel.finishAndReleaseAll();
    listener.unsafe().closeForcibly(); // never registered, so close() would refuse
    clusters.close();
    stats.close();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  /** One stream; in batches with Netty's thread-local support, as on an event loop. */
  @Benchmark
  @OperationsPerInvocation(EventLoopBatch.SIZE)
  public int stream() {
    return EventLoopBatch.run(this::streamOnce);
  }

  private int streamOnce() {
    request.setInt(streamIdOffset, nextStreamId());
    channel.writeInbound(request.duplicate());
    channel.runPendingTasks();
    return Outbound.releaseAll(channel);
  }

  private int nextStreamId() {
    int id = streamId;
    streamId += 2;
    return id;
  }

  /** Writes the request's frames and returns the DATA the proxy answered with, as text. */
  private String exchange(ByteBuf frames) {
    channel.writeInbound(frames);
    channel.runPendingTasks();
    StringBuilder body = new StringBuilder();
    drain(body);
    return body.toString();
  }

  /** Reads and releases what the proxy wrote, appending DATA payloads to {@code body}. */
  private void drain(StringBuilder body) {
    frames.setLength(0);
    ByteBuf all = Outbound.collect(channel);
    while (all.readableBytes() >= FRAME_HEADER) {
      int length = all.readUnsignedMedium();
      byte type = all.readByte();
      all.skipBytes(1 + 4); // flags, stream id
      if (body != null && type != DATA) {
        frames
            .append(type)
            .append(':')
            .append(ByteBufUtil.hexDump(all, all.readerIndex(), length))
            .append(' ');
      }
      if (type == DATA && body != null) {
        body.append(all.toString(all.readerIndex(), length, StandardCharsets.US_ASCII));
      }
      all.skipBytes(length);
    }
    all.release();
  }

  private ByteBuf headersFrame(ByteBuf out, int id) throws Http2Exception {
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("GET")
            .scheme("http")
            .authority("api.example.com")
            .path("/svc/1/items?page=2")
            .add("user-agent", "h2load nghttp2/1.52.0")
            .add("accept", "*/*");
    ByteBuf block = Unpooled.buffer();
    hpack.encodeHeaders(id, headers, block);
    frameHeader(out, block.readableBytes(), HEADERS, END_STREAM | END_HEADERS, id);
    out.writeBytes(block);
    block.release();
    return out;
  }

  private static void frameHeader(ByteBuf out, int length, byte type, int flags, int id) {
    out.writeMedium(length).writeByte(type).writeByte(flags).writeInt(id);
  }

  private static final String HCM =
      """
      codec_type: HTTP2
      route_config:
        virtual_hosts:
        - name: api
          domains: ["*"]
          routes:
          - match: { prefix: / }
            direct_response: { status: 200, body: { inline_string: ok } }
      http_filters:
      - name: envoy.filters.http.router
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
      """;
}
