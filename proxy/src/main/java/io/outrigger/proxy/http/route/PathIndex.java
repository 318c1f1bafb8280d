package io.outrigger.proxy.http.route;

import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RouteMatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the first route of a virtual host whose path specifier can match a request path, without
 * trying the routes one by one: Envoy's semantics (routes in order, the first whose whole match
 * succeeds wins) at the cost of the path's length instead of the number of routes.
 *
 * <p>Case-sensitive {@code prefix} and {@code path} routes go into a character trie: walking the
 * request path visits exactly the prefixes it starts with, and at its end the exact paths it
 * equals. Every other route ({@code safe_regex}, {@code case_sensitive: false}) is a candidate for
 * every path. Candidates are kept as ascending route positions, and {@link #first} asks each
 * route's full {@link RequestMatcher} (path, headers, query) about them lowest first, stopping at a
 * position above the best match found so far; so the answer is the lowest position whose full match
 * succeeds, exactly what trying the routes in order gives. Immutable once built; {@link #first}
 * allocates nothing and may run on any thread.
 */
final class PathIndex {
  private static final int[] NONE = new int[0];

  /** A trie node: its children by next character, and the routes that end here. */
  private static final class Node {
    char[] keys = new char[0];
    Node[] children = new Node[0];
    int[] prefixRoutes = NONE; // routes whose prefix is the path up to here
    int[] exactRoutes = NONE; // routes whose exact path is the path up to here

    Node child(char c) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] == c) {
          return children[i];
        }
      }
      return null;
    }

    Node childOrNew(char c) {
      Node n = child(c);
      if (n == null) {
        n = new Node();
        keys = Arrays.copyOf(keys, keys.length + 1);
        children = Arrays.copyOf(children, children.length + 1);
        keys[keys.length - 1] = c;
        children[children.length - 1] = n;
      }
      return n;
    }
  }

  private final Node root = new Node();
  private final int[] unindexed;
  private final RequestMatcher[] matchers;

  /**
   * @param matches each route's match, in the virtual host's order
   * @param matchers each route's compiled match, in the same order
   */
  PathIndex(List<RouteMatch> matches, RequestMatcher[] matchers) {
    if (matches.size() != matchers.length) {
      throw new IllegalArgumentException(
          "matchers: " + matchers.length + " (expected: " + matches.size() + ")");
    }
    this.matchers = matchers.clone();
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < matches.size(); i++) {
      RouteMatch m = matches.get(i);
      if (m.caseSensitive() && m.path() instanceof PathMatch.Prefix p) {
        Node n = walk(p.prefix());
        n.prefixRoutes = append(n.prefixRoutes, i);
      } else if (m.caseSensitive() && m.path() instanceof PathMatch.Exact e) {
        Node n = walk(e.path());
        n.exactRoutes = append(n.exactRoutes, i);
      } else {
        others.add(i);
      }
    }
    this.unindexed = others.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The position of the first route whose whole match accepts the request; -1 when none does.
   *
   * @param pathOnly the request path without its query
   */
  int first(RouteRequest req, String pathOnly) {
    return first(req, pathOnly, pathOnly.length());
  }

  /**
   * As {@link #first(RouteRequest, String)} for the path {@code target.substring(0, pathEnd)},
   * without making that substring.
   *
   * @param target the request target, its query included
   * @param pathEnd where the path ends in {@code target} (its query's {@code ?}, or its length)
   */
  int first(RouteRequest req, String target, int pathEnd) {
    int best = firstOf(unindexed, Integer.MAX_VALUE, req, target, pathEnd);
    Node n = root;
    best = firstOf(n.prefixRoutes, best, req, target, pathEnd);
    for (int i = 0; i < pathEnd && n != null; i++) {
      n = n.child(target.charAt(i));
      if (n != null) {
        best = firstOf(n.prefixRoutes, best, req, target, pathEnd);
      }
    }
    if (n != null) {
      best = firstOf(n.exactRoutes, best, req, target, pathEnd);
    }
    return best == Integer.MAX_VALUE ? -1 : best;
  }

  /** The lowest of {@code routes} below {@code best} that matches, else {@code best}. */
  private int firstOf(int[] routes, int best, RouteRequest req, String target, int pathEnd) {
    for (int r : routes) {
      if (r >= best) {
        return best;
      }
      if (matchers[r].matches(req, target, pathEnd)) {
        return r;
      }
    }
    return best;
  }

  private Node walk(String path) {
    Node n = root;
    for (int i = 0; i < path.length(); i++) {
      n = n.childOrNew(path.charAt(i));
    }
    return n;
  }

  private static int[] append(int[] a, int v) {
    int[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }
}
