package io.outrigger.proxy.upstream;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

/**
 * A structure derived from a {@link HostSet} (a hash ring, a Maglev table, cumulative weights),
 * built once per snapshot and then read without locks by every event loop.
 *
 * <p>The cache holds one (snapshot, value) pair in a volatile field. A pick whose snapshot is the
 * cached one reads the value and allocates nothing. The first pick on a new snapshot builds the
 * value and publishes it; when the new snapshot lists the very same {@link Host} objects in the
 * same order (a DNS refresh that changed nothing), the old value is kept instead of being rebuilt.
 * Two event loops that meet a new snapshot at the same moment may both build it: the results are
 * equal, the last write wins, and nothing is locked.
 *
 * @param <T> the derived structure; immutable
 */
final class PerSnapshot<T> {
  private record Entry<T>(HostSet hosts, T value) {}

  private final Function<HostSet, T> build;
  private volatile Entry<T> entry;

  /**
   * @param build derives the structure from a non-empty snapshot; called on an event loop, so it
   *     must not block
   */
  PerSnapshot(Function<HostSet, T> build) {
    this.build = requireNonNull(build, "build");
  }

  /** The structure for {@code hosts}, built on first use. */
  T get(HostSet hosts) {
    Entry<T> current = entry;
    if (current != null && current.hosts() == hosts) {
      return current.value();
    }
    T value =
        current != null && sameHosts(current.hosts().hosts(), hosts.hosts())
            ? current.value()
            : build.apply(hosts);
    entry = new Entry<>(hosts, value);
    return value;
  }

  private static boolean sameHosts(List<Host> a, List<Host> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }
}
