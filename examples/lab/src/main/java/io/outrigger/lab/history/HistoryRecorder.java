package io.outrigger.lab.history;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Collects operations and fault windows while a run is going. Thread-safe: the client workers and
 * the nemesis thread record concurrently. Times are read from the injected nanosecond clock and
 * stored relative to the moment the recorder was created.
 */
public final class HistoryRecorder {
  private final LongSupplier nanoClock;
  private final long originNanos;
  private final AtomicInteger ids = new AtomicInteger();
  private final List<Operation> operations = new ArrayList<>();
  private final List<FaultWindow> faults = new ArrayList<>();

  /** Starts the run's time at {@code nanoClock.getAsLong()}. */
  public HistoryRecorder(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.originNanos = nanoClock.getAsLong();
  }

  /** Nanoseconds since the run's start. */
  public long now() {
    return nanoClock.getAsLong() - originNanos;
  }

  /** A fresh operation id. */
  public int nextId() {
    return ids.getAndIncrement();
  }

  /** Records a completed operation. */
  public synchronized void record(Operation op) {
    operations.add(op);
  }

  /** Records a fault window once it has ended. */
  public synchronized void record(FaultWindow window) {
    faults.add(window);
  }

  /** A snapshot of what was recorded so far. */
  public synchronized History history() {
    return new History(new ArrayList<>(operations), new ArrayList<>(faults));
  }
}
