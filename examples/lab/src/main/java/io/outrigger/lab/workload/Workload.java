package io.outrigger.lab.workload;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.StopSignal;
import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.HistoryRecorder;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.nemesis.Sleeper;
import io.outrigger.lab.store.OpResult;
import io.outrigger.lab.store.StoreAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients: {@code clients} workers on their own threads, each looping until the deadline. Per
 * iteration a worker picks a node and a key at random (its own generator, seeded from the run's
 * seed and its number, so a run's choices are reproducible), then reads or writes with even odds; a
 * write's value is unique ({@code c3-17}: client 3's 17th operation), which is what lets the
 * checker tie each read to the write it saw. One operation at a time per worker, as a Jepsen
 * process. Operations reach the store through its {@link StoreAdapter}, which also decides how each
 * ended.
 */
public final class Workload {
  private static final Logger log = LoggerFactory.getLogger(Workload.class);

  private final StoreAdapter store;
  private final List<String> nodeNames;
  private final List<String> keys;
  private final HistoryRecorder recorder;
  private final long seed;
  private final Sleeper sleeper;

  /**
   * A failed operation is followed by a pause that makes its iteration last at least this long: a
   * replica that refuses connections (killed, restarting) answers in microseconds, and without it
   * each client would record thousands of refusals a second.
   */
  static final long MIN_FAILED_ITERATION_NANOS = 20_000_000;

  private final StopSignal stop;

  /**
   * @param nodes the node names the clients pick from
   * @param keys the keys the clients use
   * @param sleeper paces clients after fast failures
   * @param stop ends the clients early: each finishes its operation in flight and starts no other
   */
  public Workload(
      StoreAdapter store,
      List<String> nodes,
      List<String> keys,
      HistoryRecorder recorder,
      long seed,
      Sleeper sleeper,
      StopSignal stop) {
    this.store = requireNonNull(store, "store");
    this.stop = requireNonNull(stop, "stop");
    this.nodeNames = nodes.stream().sorted().toList();
    this.keys = List.copyOf(keys);
    this.recorder = requireNonNull(recorder, "recorder");
    this.seed = seed;
    this.sleeper = requireNonNull(sleeper, "sleeper");
    if (nodeNames.isEmpty() || this.keys.isEmpty()) {
      throw new IllegalArgumentException("nodes and keys must not be empty");
    }
  }

  /**
   * Runs {@code clients} workers until {@code deadlineNanos} (run-relative) and waits for them; an
   * operation in flight at the deadline completes (or times out) first. Blocks the caller.
   */
  public void run(int clients, long deadlineNanos, Duration opTimeout) throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            clients,
            r -> {
              Thread t = new Thread(r, "lab-client");
              t.setDaemon(true);
              return t;
            });
    List<Runnable> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      workers.add(
          () -> loop(client, new SplittableRandom(seed * 1_000_003L + client), deadlineNanos));
    }
    workers.forEach(pool::execute);
    pool.shutdown();
    long graceMillis = opTimeout.toMillis() * 2 + 5_000;
    long waitMillis = Math.max(0, (deadlineNanos - recorder.now()) / 1_000_000) + graceMillis;
    if (!pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
      log.warn("lab clients still running {} ms after the deadline; abandoning them", graceMillis);
      pool.shutdownNow();
    }
  }

  private void loop(int client, RandomGenerator random, long deadlineNanos) {
    int counter = 0;
    while (recorder.now() < deadlineNanos
        && !stop.requested()
        && !Thread.currentThread().isInterrupted()) {
      String node = nodeNames.get(random.nextInt(nodeNames.size()));
      String key = keys.get(random.nextInt(keys.size()));
      Operation op =
          random.nextBoolean()
              ? write(client, node, key, "c" + client + "-" + counter)
              : read(client, node, key);
      recorder.record(op);
      counter++;
      long took = op.endNanos() - op.startNanos();
      if (op.type() != Outcome.OK && took < MIN_FAILED_ITERATION_NANOS) {
        try {
          sleeper.sleepNanos(MIN_FAILED_ITERATION_NANOS - took);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** One read, timed and mapped; used by the workers and by the final reads. */
  public Operation read(int process, String node, String key) {
    long start = recorder.now();
    OpResult result = store.read(node, key);
    long end = recorder.now();
    return toOperation(process, Fn.READ, node, key, result, start, end);
  }

  /** One write, timed and mapped. */
  public Operation write(int process, String node, String key, String value) {
    long start = recorder.now();
    OpResult result = store.write(node, key, value);
    long end = recorder.now();
    return toOperation(process, Fn.WRITE, node, key, result, start, end);
  }

  private Operation toOperation(
      int process, Fn f, String node, String key, OpResult m, long start, long end) {
    return new Operation(
        recorder.nextId(),
        process,
        m.outcome(),
        f,
        key,
        m.value(),
        node,
        m.replica(),
        m.version(),
        start,
        end,
        m.error());
  }
}
