package io.outrigger.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/1.1 request through the downstream side of the data path on an {@link EmbeddedChannel}:
 * the codec, the connection manager, the request hygiene (x-request-id, x-forwarded-*), the route
 * match, the HTTP filter chain and a {@code direct_response}, encoded back. No sockets and no
 * upstream, so what is left is the per-request cost of Outrigger's own code.
 *
 * <p>{@code filters=none} has only the router; {@code filters=three} adds the fault filter (no
 * fault drawn), the local rate limit (a bucket that never empties) and route header mutations: the
 * difference is the filter chain's overhead per request.
 *
 * <p>The forked JVM samples Netty's leak detector as {@code bin/outrigger} does (one buffer in
 * 1,024, {@link Bootstraps#LEAK_SAMPLING}), not at Netty's default of one in 128: each sample
 * records a stack trace, which at one in 128 added about 36 bytes per request.
 *
 * <p>The operations run in batches with Netty's thread-local support ({@link EventLoopBatch}), as
 * on a sidecar's event loop, where Netty's recyclers pool the objects they pool: without it each
 * request counted a {@code ChannelOutboundBuffer} entry per write that a sidecar does not allocate.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Bootstraps.LEAK_SAMPLING)
@State(Scope.Thread)
public class RequestPathBenchmark {
  private static final byte[] REQUEST =
      ("GET /svc/1/items?page=2 HTTP/1.1\r\n"
              + "Host: api.example.com\r\n"
              + "User-Agent: wrk/4.2\r\n"
              + "Accept: */*\r\n"
              + "\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  @Param({"none", "three"})
  public String filters;

  private EventLoopGroup group;
  private ProxyStats stats;
  private ClusterManager clusters;
  private EmbeddedChannel channel;
  private ByteBuf request;

  @Setup
  public void setUp() {
    group = Transport.NIO.newEventLoopGroup(1, "bench");
    stats = new ProxyStats();
    SplittableRandom random = new SplittableRandom(1);
    clusters = new ClusterManager(List.of(), stats, group, Transport.NIO, random);
    HttpConnectionManager hcm =
        Bootstraps.manager(
            Bootstraps.connectionManager(Bootstraps.load(Bootstraps.listener(hcm(filters)))),
            stats,
            clusters,
            loop -> null,
            random);
    channel = new EmbeddedChannel();
    new HttpCodecs(hcm).install(channel.pipeline());
    request = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(REQUEST));
    String first = exchange();
    if (!first.startsWith("HTTP/1.1 200") || !first.strip().endsWith("ok")) {
      throw new IllegalStateException("unexpected response: [" + first + "]");
    }
  }

  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
    clusters.close();
    stats.close();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  /** One request; in batches with Netty's thread-local support, as on an event loop. */
  @Benchmark
  @OperationsPerInvocation(EventLoopBatch.SIZE)
  public int request() {
    return EventLoopBatch.run(this::requestOnce);
  }

  private int requestOnce() {
    channel.writeInbound(request.duplicate());
    return Outbound.releaseAll(channel);
  }

  private String exchange() {
    channel.writeInbound(request.duplicate());
    ByteBuf all = Outbound.collect(channel);
    String response = all.toString(StandardCharsets.US_ASCII);
    all.release();
    return response;
  }

  private static String hcm(String filters) {
    boolean three = filters.equals("three");
    String chain =
        three
            ? """
            - name: envoy.filters.http.fault
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                abort: { http_status: 503, percentage: { numerator: 0 } }
            - name: envoy.filters.http.local_ratelimit
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                stat_prefix: bench
                token_bucket: { max_tokens: 1000000000, tokens_per_fill: 1000000000, fill_interval: 1s }
                filter_enabled: { default_value: { numerator: 100 } }
                filter_enforced: { default_value: { numerator: 100 } }
            """
            : "";
    String mutations =
        three
            ? "    request_headers_to_add:\n"
                + "    - header: { key: x-bench, value: \"1\" }\n"
                + "    response_headers_to_add:\n"
                + "    - header: { key: x-served-by, value: outrigger }"
            : "";
    return """
        codec_type: HTTP1
        route_config:
          virtual_hosts:
          - name: api
            domains: ["*"]
        %s
            routes:
            - match: { prefix: / }
              direct_response: { status: 200, body: { inline_string: ok } }
        http_filters:
        %s
        - name: envoy.filters.http.router
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(mutations.stripTrailing(), chain.stripTrailing());
  }
}
