package io.outrigger.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;

/**
 * Nothing blocks a replica's event loops: BlockHound reports every blocking JDK call (sleeping,
 * parking, blocking socket and file I/O) made on a {@code kvstore-io-*} thread while three replicas
 * serve quorum reads and writes, replicate, repair, refuse on a cut link and recover. File I/O
 * belongs to the storage thread, which BlockHound leaves alone.
 *
 * <p>Violations are recorded rather than thrown, so that one does not break a request half-way and
 * hide the next; the test then fails with every call and its stack.
 */
class NonBlockingEventLoopsTest {
  private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

  @TempDir Path dir;

  @BeforeAll
  static void install() {
    BlockHound.builder()
        .nonBlockingThreadPredicate(p -> p.or(t -> t.getName().startsWith("kvstore-io-")))
        // The tests' console logging is synchronous; the command's own logback configuration
        // hands lines to an asynchronous appender that never blocks.
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
        // Handing a task to the storage thread enqueues it: the queue's locks are held for a
        // constant-time link and a signal, never across I/O, but they park for an instant when the
        // storage thread holds them at that moment (seen once in CI).
        .allowBlockingCallsInside("java.util.concurrent.LinkedBlockingQueue", "offer")
        .blockingMethodCallback(
            m -> {
              StringBuilder sb = new StringBuilder(m.toString());
              for (StackTraceElement e : new Throwable().getStackTrace()) {
                sb.append("\n    at ").append(e);
              }
              VIOLATIONS.add(Thread.currentThread().getName() + ": " + sb);
            })
        .install();
  }

  @Test
  void theCheckSeesASleepOnAReplicasEventLoop() throws Exception {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("kvstore-io-probe", true), NioIoHandler.newFactory());
    try {
      VIOLATIONS.clear();
      group
          .submit(
              () -> {
                Thread.sleep(1);
                return null;
              })
          .get(5, TimeUnit.SECONDS);
      assertThat(VIOLATIONS).anySatisfy(v -> assertThat(v).contains("sleep"));
    } finally {
      VIOLATIONS.clear();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void quorumsReplicationAndRepairNeverBlockALoop() throws Exception {
    VIOLATIONS.clear();
    for (Mode mode : List.of(Mode.CP, Mode.AP)) {
      Path root = dir.resolve(mode.label());
      try (TestCluster cluster =
          new TestCluster(3, mode, root, Duration.ofMillis(300), Duration.ofMillis(50))) {
        for (int i = 0; i < 20; i++) {
          cluster.put("n" + (i % 3 + 1), "k" + i, "v" + i);
          cluster.get("n" + ((i + 1) % 3 + 1), "k" + i);
        }
        cluster.delete("n1", "k0");
        cluster.isolate("n3");
        cluster.put("n3", "cut", "x"); // cp: 503 after the links refuse; ap: accepted, hinted
        cluster.put("n1", "cut", "y");
        cluster.heal();
        await()
            .untilAsserted(
                () ->
                    assertThat(TestCluster.value(cluster.getLocal("n3", "cut")))
                        .isEqualTo(TestCluster.value(cluster.getLocal("n1", "cut"))));
        cluster.send("n2", "GET", "/kv?prefix=k", null);
      }
    }
    assertThat(VIOLATIONS).isEmpty();
  }
}
