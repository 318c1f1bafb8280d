package io.outrigger.proxy.http.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Picks a virtual host by authority, as Envoy does: an exact domain first, then the longest {@code
 * *suffix} wildcard, then the longest {@code prefix*} wildcard, then {@code *}. Matching is
 * case-insensitive; a wildcard matches at least one character. A domain without a port matches the
 * authority with its port removed; a domain with a port matches the full authority.
 *
 * @param <T> what a domain selects
 */
final class VirtualHostSelector<T> {
  private record Wildcard<T>(String text, boolean hasPort, T target) {}

  private final Map<String, T> exact = new HashMap<>();
  private final List<Wildcard<T>> suffixes = new ArrayList<>();
  private final List<Wildcard<T>> prefixes = new ArrayList<>();
  private T fallback;

  /**
   * @param targets the targets in order
   * @param domains the lower-case domains of each target
   */
  VirtualHostSelector(List<T> targets, Function<T, List<String>> domains) {
    for (T target : targets) {
      for (String domain : domains.apply(target)) {
        if (domain.equals("*")) {
          fallback = target;
        } else if (domain.startsWith("*")) {
          String suffix = domain.substring(1);
          suffixes.add(new Wildcard<>(suffix, hasPort(suffix), target));
        } else if (domain.endsWith("*")) {
          String prefix = domain.substring(0, domain.length() - 1);
          prefixes.add(new Wildcard<>(prefix, false, target));
        } else {
          exact.putIfAbsent(domain, target);
        }
      }
    }
    Comparator<Wildcard<T>> longestFirst = Comparator.comparingInt(w -> -w.text().length());
    suffixes.sort(longestFirst);
    prefixes.sort(longestFirst);
  }

  /** The target for {@code authority}, or null when no domain matches. */
  T select(String authority) {
    if (exact.isEmpty() && suffixes.isEmpty() && prefixes.isEmpty()) {
      return fallback; // only "*", as in most sidecars' route tables: nothing to compare
    }
    String full = authority.toLowerCase(Locale.ROOT);
    T target = exact.get(full);
    // The host without its port, made only when a domain may need it (a new string).
    String host = null;
    if (target == null && !exact.isEmpty()) {
      host = RedirectBuilder.hostOf(full);
      if (host.length() != full.length()) {
        target = exact.get(host);
      }
    }
    if (target != null) {
      return target;
    }
    // By index: no iterator per request.
    for (int i = 0; i < suffixes.size(); i++) {
      Wildcard<T> w = suffixes.get(i);
      if (!w.hasPort() && host == null) {
        host = RedirectBuilder.hostOf(full);
      }
      String s = w.hasPort() ? full : host;
      if (s.length() > w.text().length() && s.endsWith(w.text())) {
        return w.target();
      }
    }
    for (int i = 0; i < prefixes.size(); i++) {
      Wildcard<T> w = prefixes.get(i);
      if (full.length() > w.text().length() && full.startsWith(w.text())) {
        return w.target();
      }
    }
    return fallback;
  }

  private static boolean hasPort(String domain) {
    return !RedirectBuilder.portOf(domain).isEmpty();
  }
}
