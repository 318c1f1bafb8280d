package io.outrigger.proxy.listener;

import io.outrigger.api.model.rbac.CidrRange;
import io.outrigger.api.model.tls.FilterChainMatchConfig;
import io.outrigger.proxy.connection.ConnectionFacts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Envoy's filter-chain selection: the chains are narrowed criterion by criterion, in this order —
 * destination port, destination IP (longest matching prefix), server name (exact, then the longest
 * {@code *.suffix}), transport protocol, application protocols (the first of the connection's that
 * some chain names), source IP (longest prefix), source port. At each step the chains that match
 * the connection with a value win over the chains that leave the criterion empty; the others drop
 * out and are never reconsidered, so a more specific chain that fails a later criterion does not
 * fall back to a less specific one, exactly as in Envoy.
 *
 * <p>Pure and allocation-light; runs on the connection's event loop once per connection.
 */
final class FilterChainMatcher {
  private FilterChainMatcher() {}

  /** The index of the chosen match in {@code matches}, or -1 when none matches. */
  static int select(List<FilterChainMatchConfig> matches, ConnectionFacts c) {
    List<Integer> candidates = new ArrayList<>(matches.size());
    for (int i = 0; i < matches.size(); i++) {
      candidates.add(i);
    }
    InetSocketAddress dst = c.destination();
    InetSocketAddress src = c.remoteAddress();
    candidates =
        exactOrUnset(
            candidates,
            matches,
            m -> m.destinationPort().isEmpty(),
            m -> dst != null && m.destinationPort().getAsInt() == dst.getPort());
    candidates = longestPrefix(candidates, matches, FilterChainMatchConfig::prefixRanges, dst);
    candidates = byServerName(candidates, matches, c.serverName());
    candidates =
        exactOrUnset(
            candidates,
            matches,
            m -> m.transportProtocol().isEmpty(),
            m -> m.transportProtocol().get() == c.transportProtocol());
    candidates = byApplicationProtocol(candidates, matches, c.applicationProtocols());
    candidates =
        longestPrefix(candidates, matches, FilterChainMatchConfig::sourcePrefixRanges, src);
    candidates =
        exactOrUnset(
            candidates,
            matches,
            m -> m.sourcePorts().isEmpty(),
            m -> src != null && m.sourcePorts().contains(src.getPort()));
    return candidates.isEmpty() ? -1 : candidates.get(0);
  }

  private static List<Integer> exactOrUnset(
      List<Integer> candidates,
      List<FilterChainMatchConfig> matches,
      Predicate<FilterChainMatchConfig> unset,
      Predicate<FilterChainMatchConfig> matchesValue) {
    List<Integer> exact = new ArrayList<>();
    List<Integer> any = new ArrayList<>();
    for (int i : candidates) {
      FilterChainMatchConfig m = matches.get(i);
      if (unset.test(m)) {
        any.add(i);
      } else if (matchesValue.test(m)) {
        exact.add(i);
      }
    }
    return exact.isEmpty() ? any : exact;
  }

  private static List<Integer> longestPrefix(
      List<Integer> candidates,
      List<FilterChainMatchConfig> matches,
      java.util.function.Function<FilterChainMatchConfig, List<CidrRange>> ranges,
      InetSocketAddress address) {
    InetAddress ip = address == null ? null : address.getAddress();
    ToIntFunction<FilterChainMatchConfig> best =
        m -> {
          int longest = -1;
          for (CidrRange r : ranges.apply(m)) {
            if (r.contains(ip)) {
              longest = Math.max(longest, r.prefixLen());
            }
          }
          return longest;
        };
    int top = -1;
    for (int i : candidates) {
      top = Math.max(top, best.applyAsInt(matches.get(i)));
    }
    final int wanted = top;
    return exactOrUnset(
        candidates,
        matches,
        m -> ranges.apply(m).isEmpty(),
        m -> wanted >= 0 && best.applyAsInt(m) == wanted);
  }

  private static List<Integer> byServerName(
      List<Integer> candidates, List<FilterChainMatchConfig> matches, String serverName) {
    if (serverName != null) {
      String name = serverName.toLowerCase(Locale.ROOT);
      List<Integer> exact = withName(candidates, matches, name);
      if (!exact.isEmpty()) {
        return exact;
      }
      // *.example.com matches a.example.com and a.b.example.com; the longest suffix wins.
      for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        List<Integer> wildcard = withName(candidates, matches, "*" + name.substring(dot));
        if (!wildcard.isEmpty()) {
          return wildcard;
        }
      }
    }
    return exactOrUnset(candidates, matches, m -> m.serverNames().isEmpty(), m -> false);
  }

  private static List<Integer> withName(
      List<Integer> candidates, List<FilterChainMatchConfig> matches, String name) {
    return exactOrUnset(candidates, matches, m -> false, m -> m.serverNames().contains(name));
  }

  private static List<Integer> byApplicationProtocol(
      List<Integer> candidates, List<FilterChainMatchConfig> matches, List<String> protocols) {
    for (String p : protocols) {
      List<Integer> named =
          exactOrUnset(candidates, matches, m -> false, m -> m.applicationProtocols().contains(p));
      if (!named.isEmpty()) {
        return named;
      }
    }
    return exactOrUnset(candidates, matches, m -> m.applicationProtocols().isEmpty(), m -> false);
  }
}
