package io.outrigger.proxy.upstream.pool;

import io.outrigger.proxy.upstream.Cluster;
import io.outrigger.proxy.upstream.ResourceLimits;
import java.util.ArrayDeque;

/**
 * The requests of one pool that wait for a connection, each holding one of the cluster's {@code
 * max_pending_requests} slots from the moment it queues until it leaves the queue (served, failed
 * or cancelled). Used on the pool's event loop only.
 */
final class PendingRequests {
  private final Cluster cluster;
  private final ArrayDeque<AcquireCallback> queue = new ArrayDeque<>();

  PendingRequests(Cluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Queues {@code callback} if the cluster allows one more pending request; otherwise answers it at
   * once with the overflow (counted as {@code upstream_rq_pending_overflow}).
   *
   * @return whether it was queued
   */
  boolean offer(AcquireCallback callback) {
    if (!cluster.limits().tryAcquirePending()) {
      cluster.stats().pendingOverflow();
      callback.failed(
          new PoolOverflowException(
              cluster.limits().overflowReason(ResourceLimits.Resource.PENDING_REQUESTS)),
          false);
      return false;
    }
    cluster.stats().pendingStarted();
    queue.add(callback);
    return true;
  }

  /** The oldest waiting request, its slot given back; null when none waits. */
  AcquireCallback poll() {
    AcquireCallback next = queue.poll();
    if (next != null) {
      left();
    }
    return next;
  }

  /** Withdraws {@code callback} if it still waits. */
  void cancel(AcquireCallback callback) {
    if (queue.remove(callback)) {
      left();
    }
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Fails every waiting request. */
  void failAll(Throwable cause, boolean timedOut) {
    AcquireCallback cb;
    while ((cb = poll()) != null) {
      cb.failed(cause, timedOut);
    }
  }

  private void left() {
    cluster.limits().releasePending();
    cluster.stats().pendingFinished();
  }
}
