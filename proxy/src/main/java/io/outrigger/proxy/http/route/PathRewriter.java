package io.outrigger.proxy.http.route;

import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RegexRewrite;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's path and host rewrites, compiled once per config snapshot.
 *
 * <p>{@code prefix_rewrite} replaces the part of the path the route's prefix (or exact path)
 * matched and keeps the query; {@code regex_rewrite} replaces every match in the path without its
 * query and keeps the query. The host rewrite is a literal, or {@link #autoHostRewrite()}: the
 * router then sends the chosen upstream host's address.
 */
public final class PathRewriter {
  /** Rewrites nothing. */
  public static final PathRewriter NONE = new PathRewriter(null, null, null, null, false, false);

  private final String prefixRewrite;
  private final String matchedPrefix;
  private final Pattern pattern;
  private final String replacement;
  private final String hostRewriteLiteral;
  private final boolean autoHostRewrite;
  private final boolean caseSensitive;

  private PathRewriter(
      String prefixRewrite,
      String matchedPrefix,
      RegexRewrite regex,
      String hostRewriteLiteral,
      boolean autoHostRewrite,
      boolean caseSensitive) {
    this.prefixRewrite = prefixRewrite;
    this.matchedPrefix = matchedPrefix;
    this.pattern = regex == null ? null : Pattern.compile(regex.pattern());
    this.replacement = regex == null ? null : javaReplacement(regex.substitution());
    this.hostRewriteLiteral = hostRewriteLiteral;
    this.autoHostRewrite = autoHostRewrite;
    this.caseSensitive = caseSensitive;
  }

  /** The rewriter of a cluster route matched by {@code match}. */
  public static PathRewriter of(ClusterRoute route, PathMatch match, boolean caseSensitive) {
    String matchedPrefix =
        match instanceof PathMatch.Prefix p
            ? p.prefix()
            : match instanceof PathMatch.Exact e ? e.path() : null;
    return new PathRewriter(
        route.prefixRewrite().orElse(null),
        matchedPrefix,
        route.regexRewrite().orElse(null),
        route.hostRewriteLiteral().orElse(null),
        route.autoHostRewrite(),
        caseSensitive);
  }

  /**
   * @param pathWithQuery the request target, e.g. {@code /api/v1/users?id=7}
   * @return the path to send upstream; the same instance when nothing is rewritten
   */
  public String rewritePath(String pathWithQuery) {
    if (prefixRewrite == null && pattern == null) {
      return pathWithQuery;
    }
    int q = queryStart(pathWithQuery);
    String path = pathWithQuery.substring(0, q);
    String query = pathWithQuery.substring(q);
    if (prefixRewrite != null) {
      if (!path.regionMatches(!caseSensitive, 0, matchedPrefix, 0, matchedPrefix.length())) {
        return pathWithQuery;
      }
      return prefixRewrite + path.substring(matchedPrefix.length()) + query;
    }
    Matcher m = pattern.matcher(path);
    return m.replaceAll(replacement) + query;
  }

  /**
   * @param authority the request's authority
   * @return the authority to send upstream: the literal rewrite, else {@code authority} (with
   *     {@link #autoHostRewrite()}, the router replaces it with the upstream host's address)
   */
  public String rewriteAuthority(String authority) {
    return hostRewriteLiteral != null ? hostRewriteLiteral : authority;
  }

  /** Whether the router sends the chosen upstream host's address as the authority. */
  public boolean autoHostRewrite() {
    return autoHostRewrite;
  }

  static int queryStart(String pathWithQuery) {
    int q = pathWithQuery.indexOf('?');
    int hash = pathWithQuery.indexOf('#');
    if (q < 0) {
      return hash < 0 ? pathWithQuery.length() : hash;
    }
    return hash >= 0 && hash < q ? hash : q;
  }

  /** RE2's {@code \1} becomes Java's {@code $1}; a literal {@code $} is escaped. */
  static String javaReplacement(String substitution) {
    StringBuilder sb = new StringBuilder(substitution.length() + 8);
    for (int i = 0; i < substitution.length(); i++) {
      char c = substitution.charAt(i);
      if (c == '\\' && i + 1 < substitution.length()) {
        char next = substitution.charAt(++i);
        if (next >= '0' && next <= '9') {
          sb.append('$').append(next);
        } else {
          sb.append(Matcher.quoteReplacement(String.valueOf(next)));
        }
      } else {
        sb.append(Matcher.quoteReplacement(String.valueOf(c)));
      }
    }
    return sb.toString();
  }
}
