package io.outrigger.perf;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.proxy.http.HttpCodecs;
import io.outrigger.proxy.http.HttpConnectionManager;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.pool.PoolManager;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/1.1 request proxied through the router to an upstream, on loopback sockets: a keep-alive
 * client connection, the sidecar's downstream codec, hygiene, route match and router, a pooled
 * upstream connection, and back. The client and the upstream (a few lines that answer with fixed
 * bytes) run on a second event loop, so that the sidecar's own loop does only the proxy's work.
 *
 * <p>{@code -prof gc} counts every thread, the client's and the upstream's too; the figure to read
 * is the one printed after each iteration, {@code proxy event loop: N B/request}, the sidecar's
 * event loop thread's own allocation counter over the requests of that iteration (what {@code
 * perf/profile} measures with wrk and nginx).
 *
 * <p>The forked JVM samples Netty's leak detector as {@code bin/outrigger} does (one buffer in
 * 1,024, {@link Bootstraps#LEAK_SAMPLING}), not at Netty's default of one in 128: each sample
 * records a stack trace, which at one in 128 added about 75 bytes per proxied request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Bootstraps.LEAK_SAMPLING)
@State(Scope.Thread)
public class ProxiedRequestBenchmark {
  private static final byte[] REQUEST =
      ("GET /svc/1/items?page=2 HTTP/1.1\r\n"
              + "Host: api.example.com\r\n"
              + "User-Agent: wrk/4.2\r\n"
              + "Accept: */*\r\n"
              + "\r\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESPONSE =
      ("HTTP/1.1 200 OK\r\n"
              + "Server: nginx\r\n"
              + "Date: Sun, 06 Dec 2026 15:00:00 GMT\r\n"
              + "Content-Type: text/plain\r\n"
              + "Content-Length: 2\r\n"
              + "Connection: keep-alive\r\n"
              + "\r\n"
              + "ok")
          .getBytes(StandardCharsets.US_ASCII);

  private EventLoopGroup proxyGroup;
  private EventLoopGroup peerGroup;
  private ProxyStats stats;
  private ClusterManager clusters;
  private PoolManager pools;
  private Channel upstream;
  private Channel listener;
  private Channel client;
  private ByteBuf request;
  private final Semaphore answered = new Semaphore(0);
  private long proxyThreadId;
  private long bytesAtStart;
  private long requests;

  @Setup
  public void setUp() throws Exception {
    proxyGroup = Transport.NIO.newEventLoopGroup(1, "proxy");
    peerGroup = Transport.NIO.newEventLoopGroup(1, "peer");
    EventLoop loop = proxyGroup.next();
    proxyThreadId = loop.submit(() -> Thread.currentThread().getId()).get();
    ByteBuf response = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(RESPONSE));
    upstream =
        new ServerBootstrap()
            .group(peerGroup)
            .channel(Transport.NIO.serverChannelType())
            .childHandler(new Answer(response))
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    int upstreamPort = ((InetSocketAddress) upstream.localAddress()).getPort();

    BootstrapConfig bootstrap = Bootstraps.load(Bootstraps.listener(HCM) + cluster(upstreamPort));
    stats = new ProxyStats();
    SplittableRandom random = new SplittableRandom(1);
    clusters = new ClusterManager(bootstrap.clusters(), stats, proxyGroup, Transport.NIO, random);
    pools = new PoolManager(loop, Transport.NIO);
    HttpConnectionManager hcm =
        Bootstraps.manager(
            Bootstraps.connectionManager(bootstrap), stats, clusters, l -> pools, random);
    listener =
        Transport.NIO
            .serverBootstrap() // the sidecar's allocator, as a listener's
            .group(proxyGroup)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(new HttpCodecs(hcm).initializer())
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    client =
        new Bootstrap()
            .group(peerGroup)
            .channel(Transport.NIO.channelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ResponseEnd(answered))
            .connect(listener.localAddress())
            .sync()
            .channel();
    request = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(REQUEST));
    request();
  }

  @TearDown
  public void tearDown() {
    client.close().syncUninterruptibly();
    listener.close().syncUninterruptibly();
    upstream.close().syncUninterruptibly();
    proxyGroup.next().submit(pools::closeAll).syncUninterruptibly();
    clusters.close();
    stats.close();
    proxyGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    peerGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Setup(Level.Iteration)
  public void startCounting() {
    requests = 0;
    bytesAtStart = proxyLoopBytes();
  }

  @TearDown(Level.Iteration)
  public void printCount() {
    long bytes = proxyLoopBytes() - bytesAtStart;
    System.out.printf("proxy event loop: %.0f B/request%n", (double) bytes / requests);
  }

  @Benchmark
  public void request() throws InterruptedException {
    client.writeAndFlush(request.duplicate(), client.voidPromise());
    if (!answered.tryAcquire(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no response in 5 s");
    }
    requests++;
  }

  private long proxyLoopBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(proxyThreadId);
  }

  private static final String HCM =
      """
      codec_type: HTTP1
      route_config:
        virtual_hosts:
        - name: api
          domains: ["*"]
          routes:
          - match: { prefix: / }
            route: { cluster: backend }
      http_filters:
      - name: envoy.filters.http.router
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
      """;

  private static String cluster(int port) {
    return """
          clusters:
          - name: backend
            type: STATIC
            connect_timeout: 1s
            load_assignment:
              cluster_name: backend
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """
        .formatted(port);
  }

  /** The upstream: answers each request (a header block ending in an empty line) with RESPONSE. */
  private static final class Answer extends ChannelInitializer<Channel> {
    private final ByteBuf response;

    Answer(ByteBuf response) {
      this.response = response;
    }

    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                private final HeaderEnd end = new HeaderEnd();

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  ByteBuf in = (ByteBuf) msg;
                  int ends = end.count(in);
                  in.release();
                  for (int i = 0; i < ends; i++) {
                    ctx.write(response.duplicate(), ctx.voidPromise());
                  }
                  ctx.flush();
                }
              });
    }
  }

  /** The client: a response is complete at its empty line and the two body bytes that follow. */
  private static final class ResponseEnd extends ChannelInboundHandlerAdapter {
    private final Semaphore answered;
    private final HeaderEnd end = new HeaderEnd();
    private int bodyLeft = -1;

    ResponseEnd(Semaphore answered) {
      this.answered = answered;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      while (in.isReadable()) {
        if (bodyLeft < 0) {
          if (end.next(in.readByte())) {
            bodyLeft = 2;
          }
        } else {
          int n = Math.min(bodyLeft, in.readableBytes());
          in.skipBytes(n);
          bodyLeft -= n;
        }
        if (bodyLeft == 0) {
          bodyLeft = -1;
          answered.release();
        }
      }
      in.release();
    }
  }

  /** Finds CR LF CR LF across reads. */
  private static final class HeaderEnd {
    private int matched;

    boolean next(byte b) {
      if (b == (matched % 2 == 0 ? '\r' : '\n')) {
        matched++;
      } else {
        matched = b == '\r' ? 1 : 0;
      }
      if (matched == 4) {
        matched = 0;
        return true;
      }
      return false;
    }

    int count(ByteBuf in) {
      int ends = 0;
      for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
        if (next(in.getByte(i))) {
          ends++;
        }
      }
      return ends;
    }
  }
}
