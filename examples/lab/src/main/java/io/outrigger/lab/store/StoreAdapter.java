package io.outrigger.lab.store;

import io.outrigger.lab.checker.Convergence;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How the lab's operations reach one kind of store: the SPI a new store implements. The workload,
 * the nemesis and the checkers stay the same for every store; only this changes.
 *
 * <p><b>Lifecycle.</b> {@link io.outrigger.lab.Lab} opens one adapter per run through its {@link
 * Factory}, before the clients start, and closes it after the last final read. Nodes are addressed
 * by the lab's node names (the keys of {@link io.outrigger.lab.LabTarget#storeUrls()}).
 *
 * <p><b>Threads.</b> {@link #read} and {@link #write} are called concurrently from the client
 * worker threads (one operation at a time per worker) and, after the run, from the lab's own thread
 * for the final reads; {@link #localRead} from the lab's thread only. Every call blocks its caller
 * and must return within about the operation timeout the adapter was opened with: an adapter never
 * throws for what a store or the network does, it maps it to an outcome.
 *
 * <p><b>Outcomes</b> ({@link OpResult#outcome()}), the one rule that matters to the checker:
 *
 * <ul>
 *   <li>{@code ok}: the store acknowledged the operation; a read's value is what it returned (null
 *       for a key that does not exist).
 *   <li>{@code fail}: the operation certainly had no effect. Every read that got no answer is a
 *       failure (a read changes nothing); a write only when the store says it did not apply it, or
 *       nothing was sent (connection refused).
 *   <li>{@code info} (indeterminate): a write that may have taken effect, now or later: a timeout,
 *       a broken connection after sending, a store error that does not promise "not applied". Never
 *       call such a write failed: the checker would accuse a correct store.
 * </ul>
 *
 * <p><b>Versions.</b> {@link OpResult#version()} is whatever orders the store's values (the
 * project's store: its (logical time, replica); etcd: the key's {@code mod_revision}), or null. The
 * ap checker compares them; for the cp checker they are informational.
 */
public interface StoreAdapter extends AutoCloseable {
  /** Opens an adapter for one run. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param nodes node name to the URL the lab reaches that node's store at
     * @param opTimeout when an operation gives up (then: read fail, write info)
     */
    StoreAdapter open(Map<String, URI> nodes, Duration opTimeout);
  }

  /** A short name for reports and logs, e.g. {@code kvstore} or {@code etcd}. */
  String name();

  /** One line for the report, e.g. {@code etcd v3 JSON gateway, linearizable reads}. */
  String describe();

  /** Reads {@code key} through {@code node} as a client would (the store's normal read path). */
  OpResult read(String node, String key);

  /** Writes {@code value} (unique per key) to {@code key} through {@code node}. */
  OpResult write(String node, String key, String value);

  /**
   * What {@code node}'s own replica holds for {@code key}, without consulting the others (the
   * project's store: {@code ?local=true}; etcd: a serializable read). Used after the heal to see
   * whether the replicas converged. Never part of the history.
   */
  Convergence.LocalValue localRead(String node, String key);

  /**
   * Who leads, for stores with a leader: used by {@code --nemesis isolate-leader} and to record
   * leader changes and election times. Empty (the default) for leaderless stores.
   */
  default Optional<Leadership> leadership() {
    return Optional.empty();
  }

  /** Releases what the adapter holds; the default holds nothing. */
  @Override
  default void close() {}
}
