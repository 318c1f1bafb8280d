package io.outrigger.perf;

import io.outrigger.api.model.ClusterConfig;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.HostSet;
import io.outrigger.proxy.upstream.LbContext;
import io.outrigger.proxy.upstream.LoadBalancer;
import io.outrigger.proxy.upstream.LoadBalancers;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One host pick per request, for each balancer, over 10 and 100 equally weighted hosts. The
 * balancers promise to allocate nothing beyond what they return; {@code -prof gc} checks it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LoadBalancerBenchmark {
  @Param({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV"})
  public String policy;

  @Param({"10", "100"})
  public int hosts;

  private LoadBalancer balancer;
  private HostSet set;
  private long hash;
  private final LbContext hashed =
      new LbContext() {
        @Override
        public boolean hasHash() {
          return true;
        }

        @Override
        public long hashKey() {
          return hash;
        }
      };

  @Setup
  public void setUp() {
    ClusterConfig config =
        Bootstraps.cluster(
            Bootstraps.load(
                """
                static_resources:
                  clusters:
                  - name: backend
                    lb_policy: %s
                    load_assignment:
                      cluster_name: backend
                      endpoints:
                      - lb_endpoints:
                        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 8080 } } }
                """
                    .formatted(policy)),
            "backend");
    balancer = LoadBalancers.create(config, LoadBalancers.perThreadRandom(), 0);
    List<Host> list = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      list.add(new Host(new InetSocketAddress("127.0.0.1", 10_000 + i), "", 1));
    }
    set = HostSet.of(list);
  }

  @Benchmark
  public Host choose() {
    hash = hash * 6364136223846793005L + 1442695040888963407L;
    return balancer.choose(set, hashed);
  }
}
