package io.outrigger.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.kvstore.Outcome.Applied;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ABD's phases against scripted members: no sockets. */
class AbdCoordinatorTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Storage storage = Storage.inMemory("n1");
  private final FakeReplica n2 = new FakeReplica("n2");
  private final FakeReplica n3 = new FakeReplica("n3");
  private final AbdCoordinator abd =
      new AbdCoordinator(List.of(new LocalReplica("n1", storage), n2, n3), storage, 2, timer);

  @AfterEach
  void close() throws Exception {
    timer.shutdownNow();
    storage.close();
  }

  private static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
  }

  private static Versioned v(String value, long time, String replica) {
    return new Versioned("k", value.getBytes(StandardCharsets.UTF_8), new Version(time, replica));
  }

  @Test
  void writeChoosesATagAboveTheMajoritysNewest() {
    n2.holds = v("old", 9, "n2");
    n3.down = true;
    Outcome o = abd.write("k", "new".getBytes(), deadline()).join();
    assertThat(o).isInstanceOf(Outcome.Done.class);
    Versioned written = ((Outcome.Done) o).entry();
    assertThat(written.version()).isEqualTo(new Version(10, "n1"));
    assertThat(n2.stored).containsExactly(written);
    assertThat(storage.get("k").join()).isEqualTo(written);
  }

  @Test
  void writeWithoutAMajorityInTheQueryPhaseIsNotApplied() {
    n2.down = true;
    n3.down = true;
    Outcome o = abd.write("k", "x".getBytes(), deadline()).join();
    assertThat(o).isEqualTo(new Outcome.NoQuorum(Applied.NOT_APPLIED, 1, 2));
    assertThat(storage.get("k").join()).isNull();
  }

  @Test
  void writeThatLosesItsMajorityWhileStoringIsUnknown() {
    n2.refuseStores = true;
    n3.refuseStores = true;
    Outcome o = abd.write("k", "x".getBytes(), deadline()).join();
    assertThat(o).isEqualTo(new Outcome.NoQuorum(Applied.UNKNOWN, 1, 2));
    // the local replica kept it: that is why the outcome is unknown, not "not applied"
    assertThat(storage.get("k").join()).isNotNull();
  }

  @Test
  void aSilentPeerCostsOnlyTheDeadline() {
    n2.silent = true;
    n3.silent = true;
    long start = System.nanoTime();
    Outcome o = abd.read("k", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200)).join();
    assertThat(o).isEqualTo(new Outcome.NoQuorum(Applied.NOT_APPLIED, 1, 2));
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
  }

  @Test
  void readWritesTheNewestBackWhenTheMajorityDisagrees() {
    Versioned newest = v("new", 4, "n3");
    n2.holds = v("old", 2, "n1");
    n3.holds = newest;
    n2.delay = true; // n1 and n3 answer the query first
    storage.apply(v("old", 2, "n1")).join();
    Outcome o = abd.read("k", deadline()).join();
    assertThat(o).isEqualTo(new Outcome.Done(newest));
    assertThat(storage.get("k").join()).isEqualTo(newest);
  }

  @Test
  void readSkipsTheWriteBackWhenTheMajorityAgrees() {
    Versioned same = v("same", 3, "n2");
    storage.apply(same).join();
    n2.holds = same;
    n3.holds = v("older", 1, "n1");
    n3.delay = true;
    Outcome o = abd.read("k", deadline()).join();
    assertThat(o).isEqualTo(new Outcome.Done(same));
    assertThat(n2.stored).isEmpty();
    assertThat(n3.stored).isEmpty();
  }

  @Test
  void readOfAKeyNobodyHasIsDoneWithNothing() {
    assertThat(abd.read("k", deadline()).join()).isEqualTo(new Outcome.Done(null));
  }

  /** A member whose answers the test scripts. */
  private static final class FakeReplica implements Replica {
    final String name;
    volatile Versioned holds;
    volatile boolean down;
    volatile boolean silent;
    volatile boolean refuseStores;
    volatile boolean delay;
    final List<Versioned> stored = new ArrayList<>();

    FakeReplica(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletableFuture<Versioned> query(String key, long deadlineNanos) {
      if (silent) {
        return new CompletableFuture<>();
      }
      if (down) {
        return CompletableFuture.failedFuture(new IllegalStateException(name + " is down"));
      }
      if (delay) {
        // answers after the others: completes on another thread a little later
        return CompletableFuture.supplyAsync(
            () -> holds, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
      }
      return CompletableFuture.completedFuture(holds);
    }

    @Override
    public synchronized CompletableFuture<Versioned> store(Versioned v, long deadlineNanos) {
      if (down || refuseStores || silent) {
        return CompletableFuture.failedFuture(new IllegalStateException(name + " refuses"));
      }
      stored.add(v);
      holds = Versioned.newest(holds, v);
      return CompletableFuture.completedFuture(holds);
    }
  }
}
