package io.outrigger.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopStatsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DefaultEventExecutorGroup loops = new DefaultEventExecutorGroup(2);

  @AfterEach
  void stop() {
    loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }

  private double gauge() {
    return registry.get("server_event_loop_pending_tasks").tag("group", "worker").gauge().value();
  }

  @Test
  void countsTasksQueuedBehindABusyLoopOnEveryLoopAndFallsBackToZeroOnceTheyRan()
      throws InterruptedException {
    EventLoopStats.bind(registry, loops, "worker");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(2);
    var first = loops.next();
    var second = loops.next();
    for (var loop : new EventExecutor[] {first, second}) {
      loop.execute(
          () -> {
            busy.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(gauge()).isZero();

    for (int i = 0; i < 3; i++) {
      first.execute(() -> {});
    }
    second.execute(() -> {});
    assertThat(gauge()).isEqualTo(4);

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == 0);
  }
}
