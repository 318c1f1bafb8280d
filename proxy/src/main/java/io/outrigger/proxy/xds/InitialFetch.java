package io.outrigger.proxy.xds;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Start-up's wait for the first configuration, as Envoy's init manager waits for its discovery
 * subscriptions: done when every subscribed wildcard type (CDS, LDS) has had one accepted response
 * and every name of the other types (EDS, RDS, SDS) wanted before then has come in a response (a
 * rejected response counts for all names of its type, as Envoy's failed update ends its watches'
 * wait). The client completes it on the initial fetch timeout regardless.
 *
 * <p>Not thread-safe: used on the discovery client's thread only; the future may be read anywhere.
 */
final class InitialFetch {
  private final Set<XdsResourceType> awaitedTypes;
  private final Map<XdsResourceType, Set<String>> awaitedNames =
      new EnumMap<>(XdsResourceType.class);
  private final Map<XdsResourceType, Set<String>> seenNames = new EnumMap<>(XdsResourceType.class);
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /**
   * @param wildcardTypes the subscribed wildcard types, each awaited until accepted once
   */
  InitialFetch(Set<XdsResourceType> wildcardTypes) {
    this.awaitedTypes =
        wildcardTypes.isEmpty()
            ? EnumSet.noneOf(XdsResourceType.class)
            : EnumSet.copyOf(wildcardTypes);
  }

  CompletableFuture<Void> future() {
    return done;
  }

  /** The names now wanted of a non-wildcard type: those not received yet are awaited. */
  void wanted(XdsResourceType type, Set<String> names) {
    if (done.isDone()) {
      return;
    }
    Set<String> awaited = new HashSet<>(names);
    awaited.removeAll(seenNames.getOrDefault(type, Set.of()));
    awaitedNames.put(type, awaited);
  }

  /** An accepted response of {@code type} that carried {@code names}. */
  void accepted(XdsResourceType type, Set<String> names) {
    awaitedTypes.remove(type);
    seenNames.computeIfAbsent(type, t -> new HashSet<>()).addAll(names);
    Set<String> awaited = awaitedNames.get(type);
    if (awaited != null) {
      awaited.removeAll(names);
    }
  }

  /** A rejected response of {@code type}: its wanted names have had their answer. */
  void rejected(XdsResourceType type) {
    awaitedNames.remove(type);
  }

  /**
   * Completes the future when nothing is awaited any more. Called after the handler's calls to
   * {@code want()} have run, so that names learned from a response are awaited before it counts.
   */
  void check() {
    if (!done.isDone()
        && awaitedTypes.isEmpty()
        && awaitedNames.values().stream().allMatch(Set::isEmpty)) {
      done.complete(null);
    }
  }

  /**
   * The initial fetch timeout fired: completes the future.
   *
   * @return what was still awaited, for the warning; empty when it had completed already
   */
  String timeout() {
    if (done.isDone()) {
      return "";
    }
    StringBuilder pending = new StringBuilder();
    awaitedTypes.forEach(t -> pending.append(t.shortName()).append(' '));
    awaitedNames.forEach(
        (t, names) -> {
          if (!names.isEmpty()) {
            pending.append(t.shortName()).append(' ').append(new java.util.TreeSet<>(names));
            pending.append(' ');
          }
        });
    done.complete(null);
    return pending.toString().trim();
  }
}
