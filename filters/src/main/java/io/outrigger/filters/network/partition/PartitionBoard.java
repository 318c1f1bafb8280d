package io.outrigger.filters.network.partition;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.PartitionRule;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The partition rules now in force on one sidecar, for connections that are already open. A rule
 * change reaches a sidecar as a new listener configuration, which only new connections take; a
 * partition must also cut the long-lived connections that cross it (a Raft peer stream, an HTTP/2
 * connection, a keep-alive pool), so each network partition filter that let a connection through
 * watches its entry here, and each new configuration publishes its rule to the same entry.
 *
 * <p>An entry is one filter (by name) of one listener, for one peer. Thread-safe: configurations
 * are built on the discovery thread, watchers live on event loops and are told on the publishing
 * thread (they hop to their own loop). One board per sidecar.
 */
public final class PartitionBoard {
  private final ConcurrentHashMap<Key, Set<Consumer<Optional<PartitionRule>>>> watchers =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, Optional<PartitionRule>> rules = new ConcurrentHashMap<>();

  /**
   * @param listener the listener's name
   * @param filter the filter's name
   * @param peer the node its connections lead to
   */
  record Key(String listener, String filter, String peer) {
    Key {
      requireNonNull(listener, "listener");
      requireNonNull(filter, "filter");
      requireNonNull(peer, "peer");
    }
  }

  /**
   * The rule a new configuration of {@code key} carries is now the one in force: every connection
   * watching {@code key} hears of it when it differs from the last one published.
   */
  void publish(Key key, Optional<PartitionRule> rule) {
    Optional<PartitionRule> previous = rules.put(key, rule);
    if (rule.equals(previous)) {
      return;
    }
    for (Consumer<Optional<PartitionRule>> w : watchers.getOrDefault(key, Set.of())) {
      w.accept(rule);
    }
  }

  /**
   * Tells {@code watcher} of every rule published for {@code key} from now until the returned
   * handle is run.
   */
  Runnable watch(Key key, Consumer<Optional<PartitionRule>> watcher) {
    watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(watcher);
    return () ->
        watchers.computeIfPresent(
            key,
            (k, set) -> {
              set.remove(watcher);
              return set.isEmpty() ? null : set;
            });
  }

  /** How many open connections watch {@code key}; for tests and diagnostics. */
  int watching(Key key) {
    return watchers.getOrDefault(key, Set.of()).size();
  }
}
