package io.outrigger.lab.leader;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.history.HistoryRecorder;
import io.outrigger.lab.nemesis.Sleeper;
import io.outrigger.lab.store.LeaderView;
import io.outrigger.lab.store.Leadership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks every node who leads, every {@code intervalNanos}, from the start of the run until {@link
 * #close}; the answers are the raw material of {@link Elections}. Runs on its own daemon thread; a
 * round that takes longer than the interval (a node that does not answer) delays the next one
 * rather than overlapping it.
 */
public final class LeaderWatch implements AutoCloseable {
  private final Leadership leadership;
  private final HistoryRecorder recorder;
  private final Sleeper sleeper;
  private final long intervalNanos;
  private final List<LeaderObservation> observations = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  /** Starts watching at once. */
  public LeaderWatch(
      Leadership leadership, HistoryRecorder recorder, Sleeper sleeper, long intervalNanos) {
    this.leadership = requireNonNull(leadership, "leadership");
    this.recorder = requireNonNull(recorder, "recorder");
    this.sleeper = requireNonNull(sleeper, "sleeper");
    this.intervalNanos = intervalNanos;
    this.thread = new Thread(this::loop, "lab-leader-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** One round: every node's view, recorded with the time it was read. */
  public void poll() {
    Map<String, LeaderView> views = leadership.views();
    long now = recorder.now();
    synchronized (observations) {
      views.values().stream()
          .sorted(java.util.Comparator.comparing(LeaderView::node))
          .forEach(
              v -> observations.add(new LeaderObservation(now, v.node(), v.leader(), v.term())));
    }
  }

  private void loop() {
    try {
      while (!closed) {
        long started = recorder.now();
        poll();
        long left = intervalNanos - (recorder.now() - started);
        if (left > 0 && !closed) {
          sleeper.sleepNanos(left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What was observed so far, in time order. */
  public List<LeaderObservation> observations() {
    synchronized (observations) {
      return List.copyOf(observations);
    }
  }

  /** Stops the thread and waits for a round in progress to end. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join();
  }
}
