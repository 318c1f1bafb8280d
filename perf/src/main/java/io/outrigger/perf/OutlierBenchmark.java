package io.outrigger.perf;

import io.netty.channel.EventLoopGroup;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.ClusterManager;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.outlier.OutlierMonitor;
import io.outrigger.proxy.upstream.outlier.OutlierResult;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bookkeeping every upstream attempt does for outlier detection: the host's monitor records the
 * connect result and the response code (consecutive-failure counters and success-rate buckets),
 * with every detection kind enabled. Mostly successes with a 5xx now and then, as in steady
 * traffic; the detector's interval never runs here, so no host is ejected.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class OutlierBenchmark {
  private EventLoopGroup group;
  private ProxyStats stats;
  private ClusterManager clusters;
  private OutlierMonitor monitor;
  private int n;

  @Setup
  public void setUp() {
    group = Transport.NIO.newEventLoopGroup(1, "bench");
    stats = new ProxyStats();
    clusters =
        new ClusterManager(
            Bootstraps.load(
                    """
                    static_resources:
                      clusters:
                      - name: backend
                        outlier_detection:
                          consecutive_5xx: 5
                          consecutive_gateway_failure: 5
                          consecutive_local_origin_failure: 5
                          split_external_local_origin_errors: true
                          enforcing_success_rate: 100
                          enforcing_failure_percentage: 100
                        load_assignment:
                          cluster_name: backend
                          endpoints:
                          - lb_endpoints:
                            - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 8080 } } }
                    """)
                .clusters(),
            stats,
            group,
            Transport.NIO,
            new SplittableRandom(1));
    clusters.initialized().join();
    Host host = clusters.get("backend").hosts().hosts().get(0);
    monitor = host.outlier();
  }

  @TearDown
  public void tearDown() {
    clusters.close();
    stats.close();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Benchmark
  public void attempt() {
    monitor.putResult(OutlierResult.LOCAL_ORIGIN_CONNECT_SUCCESS);
    monitor.putHttpResponseCode((++n & 63) == 0 ? 503 : 200);
  }
}
