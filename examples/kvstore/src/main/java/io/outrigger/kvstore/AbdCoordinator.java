package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import io.outrigger.kvstore.Outcome.Applied;
import io.outrigger.kvstore.Quorum.Gathered;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The ABD register per key (Attiya, Bar-Noy, Dolev; the multi-writer form), which makes {@code cp}
 * linearizable:
 *
 * <ul>
 *   <li>write: query a majority for the largest tag; choose a larger one of this replica's; store
 *       the value with it on a majority;
 *   <li>read: query a majority; if they do not all hold the largest tag, write it back to a
 *       majority before answering, so that no later read can return something older.
 * </ul>
 *
 * <p>A phase that cannot gather a majority by the deadline ends the operation with {@link
 * Outcome.NoQuorum}: {@link Applied#NOT_APPLIED} when it was a write's query phase or any read
 * phase (nothing new was sent anywhere), {@link Applied#UNKNOWN} when it was a write's store phase
 * (some replicas may have kept the value). The local replica is one of the members and answers like
 * the others.
 */
final class AbdCoordinator {
  private final List<Replica> replicas;
  private final Storage storage;
  private final int majority;
  private final ScheduledExecutorService timer;

  /**
   * @param replicas every member, this replica's {@link LocalReplica} first
   * @param storage this replica's storage, which chooses new tags
   * @param timer where phase deadlines are scheduled (an event loop group)
   */
  AbdCoordinator(
      List<Replica> replicas, Storage storage, int majority, ScheduledExecutorService timer) {
    this.replicas = List.copyOf(replicas);
    if (!(this.replicas.get(0) instanceof LocalReplica)) {
      throw new IllegalArgumentException("replicas: the first is not the local one (expected: it)");
    }
    this.storage = requireNonNull(storage, "storage");
    this.majority = majority;
    this.timer = requireNonNull(timer, "timer");
  }

  /** Writes {@code value} (null deletes) to {@code key}. */
  CompletableFuture<Outcome> write(String key, byte[] value, long deadlineNanos) {
    return query(key, deadlineNanos)
        .thenCompose(
            q -> {
              if (!q.reached()) {
                return done(
                    new Outcome.NoQuorum(Applied.NOT_APPLIED, q.answers().size(), majority));
              }
              Versioned newest = newest(q.answers());
              return storage
                  .nextVersionAbove(newest == null ? null : newest.version())
                  .thenCompose(
                      tag -> {
                        Versioned v = new Versioned(key, value, tag);
                        return store(v, deadlineNanos)
                            .thenApply(
                                s ->
                                    s.reached()
                                        ? new Outcome.Done(v)
                                        : new Outcome.NoQuorum(
                                            Applied.UNKNOWN, s.answers().size(), majority));
                      });
            });
  }

  /** Reads {@code key}. */
  CompletableFuture<Outcome> read(String key, long deadlineNanos) {
    return query(key, deadlineNanos)
        .thenCompose(
            q -> {
              if (!q.reached()) {
                return done(
                    new Outcome.NoQuorum(Applied.NOT_APPLIED, q.answers().size(), majority));
              }
              Versioned newest = newest(q.answers());
              if (newest == null || allHold(q.answers(), newest)) {
                // A majority already holds the newest tag: no later read can miss it.
                return done(new Outcome.Done(newest));
              }
              return store(newest, deadlineNanos)
                  .thenApply(
                      s ->
                          s.reached()
                              ? new Outcome.Done(newest)
                              : new Outcome.NoQuorum(
                                  Applied.NOT_APPLIED, s.answers().size(), majority));
            });
  }

  private CompletableFuture<Gathered<Versioned>> query(String key, long deadlineNanos) {
    return everyone(r -> r.query(key, deadlineNanos), deadlineNanos);
  }

  private CompletableFuture<Gathered<Versioned>> store(Versioned v, long deadlineNanos) {
    return everyone(r -> r.store(v, deadlineNanos), deadlineNanos);
  }

  private CompletableFuture<Gathered<Versioned>> everyone(
      Function<Replica, CompletableFuture<Versioned>> call, long deadlineNanos) {
    List<CompletableFuture<Versioned>> calls = new ArrayList<>(replicas.size());
    for (Replica r : replicas) {
      calls.add(call.apply(r));
    }
    return Quorum.gather(calls, majority, deadlineNanos, timer);
  }

  /** The entry with the largest tag, or null if no replica has seen the key. */
  static Versioned newest(List<Versioned> answers) {
    Versioned newest = null;
    for (Versioned v : answers) {
      if (v != null) {
        newest = Versioned.newest(newest, v);
      }
    }
    return newest;
  }

  private static boolean allHold(List<Versioned> answers, Versioned newest) {
    for (Versioned v : answers) {
      if (v == null || !v.version().equals(newest.version())) {
        return false;
      }
    }
    return true;
  }

  private static CompletableFuture<Outcome> done(Outcome o) {
    return CompletableFuture.completedFuture(o);
  }
}
