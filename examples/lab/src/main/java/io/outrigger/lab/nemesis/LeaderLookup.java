package io.outrigger.lab.nemesis;

import java.util.Optional;

/**
 * Tells {@code isolate-leader} which node leads right now. Called on the nemesis thread once per
 * fault, blocking for at most the store's status timeout.
 */
@FunctionalInterface
public interface LeaderLookup {
  /** The node a majority follows, by its lab name; empty when none is known (mid-election). */
  Optional<String> leader();

  /** For stores without a leader: always empty. */
  static LeaderLookup none() {
    return Optional::empty;
  }
}
