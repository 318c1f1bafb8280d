package io.outrigger.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deadline, in the embedded loop's frozen time: fires once, late never, early never. */
class LazyDeadlineTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private EmbeddedChannel channel;
  private final AtomicInteger fired = new AtomicInteger();
  private LazyDeadline deadline;

  @BeforeEach
  void setUp() {
    channel = new EmbeddedChannel();
    channel.freezeTime();
    deadline = new LazyDeadline(channel.eventLoop(), fired::incrementAndGet);
  }

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  private void advance(long ms) {
    channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void firesOnceWhenTheDeadlinePasses() {
    deadline.arm(100 * MS);
    advance(99);
    assertThat(fired).hasValue(0);
    advance(1);
    assertThat(fired).hasValue(1);
    assertThat(deadline.armed()).isFalse();
    advance(1_000);
    assertThat(fired).hasValue(1);
  }

  @Test
  void armWithinKeepsTheSoonerDeadline() {
    deadline.armWithin(100 * MS);
    deadline.armWithin(300 * MS); // later: the deadline stays at 100 ms
    advance(100);
    assertThat(fired).hasValue(1);
    deadline.armWithin(300 * MS);
    deadline.armWithin(50 * MS); // sooner: the deadline moves to 50 ms
    advance(50);
    assertThat(fired).hasValue(2);
    advance(1_000);
    assertThat(fired).hasValue(2);
  }

  @Test
  void aClearedDeadlineDoesNotFire() {
    deadline.arm(100 * MS);
    deadline.clear();
    advance(1_000);
    assertThat(fired).hasValue(0);
  }

  @Test
  void movingTheDeadlineLaterKeepsTheTaskAndFiresAtTheNewTime() {
    deadline.arm(100 * MS);
    advance(60);
    deadline.arm(100 * MS); // now due at 160
    // No new task: the next one scheduled is still the first, due at 100.
    assertThat(channel.runScheduledPendingTasks()).isEqualTo(40 * MS);
    advance(40);
    assertThat(fired).hasValue(0); // the task woke at 100, found 160 and slept on
    advance(59);
    assertThat(fired).hasValue(0);
    advance(1);
    assertThat(fired).hasValue(1);
  }

  @Test
  void movingTheDeadlineEarlierFiresAtTheEarlierTime() {
    deadline.arm(1_000 * MS);
    deadline.arm(10 * MS);
    advance(10);
    assertThat(fired).hasValue(1);
    advance(1_000);
    assertThat(fired).hasValue(1);
  }

  @Test
  void aTaskLeftByAClearedDeadlineServesTheNextOne() {
    deadline.arm(100 * MS);
    deadline.clear(); // a request ended; its task stays
    advance(50);
    deadline.arm(100 * MS); // the next request: due at 150
    advance(50);
    assertThat(fired).hasValue(0);
    advance(50);
    assertThat(fired).hasValue(1);
  }

  @Test
  void closeCancelsTheTask() {
    deadline.arm(100 * MS);
    deadline.close();
    assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1);
    advance(1_000);
    assertThat(fired).hasValue(0);
  }
}
