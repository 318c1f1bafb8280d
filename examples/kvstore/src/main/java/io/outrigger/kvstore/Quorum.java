package io.outrigger.kvstore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for {@code needed} of a set of calls to succeed, and no longer: it completes as soon as
 * enough succeeded, as soon as too many failed for that to happen, or at the deadline, whichever
 * comes first. The calls still running are left to finish (a late store acknowledgement still
 * stores); their answers are ignored.
 *
 * <p>The first call is this replica's own, which needs no network: before giving up on a majority
 * the quorum waits for it, so that the {@code acks} of a 503 count this replica whatever order the
 * failures came in.
 *
 * @param <T> what one call answers
 */
final class Quorum<T> {
  /**
   * The answers gathered by the time the quorum completed.
   *
   * @param answers the successful answers, in arrival order; null for a replica that never saw the
   *     key
   * @param needed how many were needed
   */
  record Gathered<T>(List<T> answers, int needed) {
    boolean reached() {
      return answers.size() >= needed;
    }
  }

  private final int calls;
  private final int needed;
  private final CompletableFuture<T> local;
  private final List<T> answers = new ArrayList<>();
  private final CompletableFuture<Gathered<T>> result = new CompletableFuture<>();
  private int failures;

  private Quorum(int calls, int needed, CompletableFuture<T> local) {
    this.calls = calls;
    this.needed = needed;
    this.local = local;
  }

  /**
   * Gathers {@code needed} answers of {@code calls} by {@code deadlineNanos}; {@code calls.get(0)}
   * is the local replica's.
   */
  static <T> CompletableFuture<Gathered<T>> gather(
      List<CompletableFuture<T>> calls,
      int needed,
      long deadlineNanos,
      ScheduledExecutorService timer) {
    Quorum<T> q = new Quorum<>(calls.size(), needed, calls.get(0));
    long remaining = Math.max(0, deadlineNanos - System.nanoTime());
    ScheduledFuture<?> timeout = timer.schedule(q::finish, remaining, TimeUnit.NANOSECONDS);
    q.result.whenComplete((g, e) -> timeout.cancel(false));
    for (CompletableFuture<T> call : calls) {
      call.whenComplete(q::answered);
    }
    return q.result;
  }

  // The lock guards a list and two counters for a few instructions; nothing waits under it.
  private synchronized void answered(T answer, Throwable failure) {
    if (result.isDone()) {
      return;
    }
    if (failure == null) {
      answers.add(answer);
    } else {
      failures++;
    }
    if (answers.size() >= needed || (calls - failures < needed && local.isDone())) {
      finish();
    }
  }

  private synchronized void finish() {
    // Not List.copyOf: a null answer ("never saw the key") is an answer.
    result.complete(new Gathered<>(Collections.unmodifiableList(new ArrayList<>(answers)), needed));
  }
}
