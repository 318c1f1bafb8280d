package io.outrigger.kvstore;

import java.util.concurrent.CompletableFuture;

/**
 * One member of the replica set as a quorum protocol sees it: the local storage or a peer behind
 * the mesh. Both calls may be made from any thread and never block; the futures complete on a
 * storage or event-loop thread. A failed future (peer unreachable, refused, timed out, or answered
 * by someone else) is simply a missing acknowledgement.
 */
interface Replica {
  /** The node name. */
  String name();

  /**
   * ABD's query: what the replica holds for {@code key}.
   *
   * @return the entry (a tombstone if deleted), or null if the replica never saw the key
   */
  CompletableFuture<Versioned> query(String key, long deadlineNanos);

  /**
   * ABD's store: the replica keeps {@code v} unless it already holds a newer tag.
   *
   * @return what the replica holds afterwards (its acknowledgement)
   */
  CompletableFuture<Versioned> store(Versioned v, long deadlineNanos);
}
