package io.outrigger.lab;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks a running experiment to end early: the clients finish the operation they are in and start no
 * other, the nemesis heals whatever fault is in force before it returns, the final reads are
 * skipped, and the report is written from the history so far, marked interrupted.
 *
 * <p>Thread-safe; {@link #requestStop} may be called from any thread, a signal handler included,
 * any number of times. A fresh signal is not requested; {@link #never()} is one that nobody
 * requests.
 */
public final class StopSignal {
  private static final long NOT_REQUESTED = Long.MIN_VALUE;

  private final AtomicLong requestedAt = new AtomicLong(NOT_REQUESTED);

  /** A signal that can be requested. */
  public StopSignal() {}

  /** A signal nobody holds, for runs that go to their end. */
  public static StopSignal never() {
    return new StopSignal();
  }

  /** Requests the stop; returns false if it was already requested. */
  public boolean requestStop() {
    return requestedAt.compareAndSet(NOT_REQUESTED, System.nanoTime());
  }

  /** True once {@link #requestStop} was called. */
  public boolean requested() {
    return requestedAt.get() != NOT_REQUESTED;
  }
}
