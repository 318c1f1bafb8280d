package io.outrigger.lab;

import io.outrigger.lab.nemesis.Sleeper;
import java.time.Instant;

/**
 * The lab's time: a monotonic nanosecond clock for the history, a wall clock for the run's id and
 * the report's date, and the sleeps of the nemesis schedule. Injected so that tests can compress or
 * script time.
 */
public interface LabClock extends Sleeper {
  /** Monotonic nanoseconds ({@link System#nanoTime()} by default). */
  long nanoTime();

  /** The wall-clock time. */
  Instant now();

  /** The real clocks and {@link Thread#sleep}. */
  static LabClock system() {
    return new LabClock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public void sleepNanos(long nanos) throws InterruptedException {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      }
    };
  }
}
