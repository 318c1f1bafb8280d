package io.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.LbConfig;
import io.outrigger.proxy.testkit.ManualScheduler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OriginalDstHostsTest {
  private static final InetSocketAddress A = new InetSocketAddress("10.99.0.1", 80);
  private static final InetSocketAddress B = new InetSocketAddress("10.99.0.2", 80);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<Host> removed = new ArrayList<>();
  private final OriginalDstHosts hosts =
      new OriginalDstHosts(
          new LbConfig.OriginalDst(Duration.ofSeconds(5), false, "x-envoy-original-dst-host"),
          scheduler,
          removed::add);

  @Test
  void oneHostPerDestinationKeptWhileUsed() {
    Host a = hosts.host(A);

    assertThat(hosts.host(A)).isSameAs(a);
    assertThat(a.address()).isEqualTo(A);
    assertThat(hosts.host(B)).isNotSameAs(a);
    assertThat(hosts.host(null)).isNull();
  }

  @Test
  void aHostUnusedForTheCleanupIntervalIsRemovedByTheSweep() {
    hosts.start();
    Host a = hosts.host(A);
    Host b = hosts.host(B);

    scheduler.advance(Duration.ofSeconds(4));
    assertThat(hosts.host(B)).isSameAs(b); // B used again: its idle time starts over
    scheduler.advance(Duration.ofSeconds(4));
    assertThat(hosts.host(B)).isSameAs(b);
    scheduler.advance(Duration.ofMillis(2500)); // the 10 s sweep: A idle 10 s, B 2 s

    assertThat(removed).containsExactly(a);
    assertThat(hosts.host(B)).isSameAs(b);
    assertThat(hosts.host(A)).isNotSameAs(a);
  }

  @Test
  void closingStopsTheSweepAndForgetsEveryHost() {
    hosts.start();
    hosts.host(A);

    hosts.close();
    scheduler.runPending();

    assertThat(scheduler.pendingTimers()).isZero();
    assertThat(removed).hasSize(1);
  }

  @Test
  void parsesTheHeaderWithoutResolvingNames() {
    assertThat(OriginalDstHosts.parseHostHeader("10.0.0.1:8080"))
        .isEqualTo(new InetSocketAddress("10.0.0.1", 8080));
    assertThat(OriginalDstHosts.parseHostHeader("[fd00::1]:443"))
        .isEqualTo(new InetSocketAddress("fd00::1", 443));
    assertThat(OriginalDstHosts.parseHostHeader("example.com:80")).isNull();
    assertThat(OriginalDstHosts.parseHostHeader("10.0.0.1")).isNull();
    assertThat(OriginalDstHosts.parseHostHeader("10.0.0.1:0")).isNull();
    assertThat(OriginalDstHosts.parseHostHeader(null)).isNull();
  }
}
