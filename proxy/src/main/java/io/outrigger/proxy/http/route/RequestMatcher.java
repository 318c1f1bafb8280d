package io.outrigger.proxy.http.route;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.outrigger.api.model.http.PathMatch;
import io.outrigger.api.model.http.RouteMatch;
import io.outrigger.filters.http.headers.CompiledHeaderMatcher;
import io.outrigger.filters.http.headers.StringValueMatcher;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A compiled {@link RouteMatch}: path, then headers, then query parameters. */
final class RequestMatcher {
  private final PathMatch path;
  private final boolean caseSensitive;
  private final Pattern pathPattern;
  private final CompiledHeaderMatcher[] headers;
  private final CompiledQuery[] queryParameters;

  private record CompiledQuery(String name, StringValueMatcher value) {}

  RequestMatcher(RouteMatch match) {
    this.path = match.path();
    this.caseSensitive = match.caseSensitive();
    this.pathPattern =
        match.path() instanceof PathMatch.Regex r ? Pattern.compile(r.regex()) : null;
    this.headers =
        match.headers().stream()
            .map(CompiledHeaderMatcher::new)
            .toArray(CompiledHeaderMatcher[]::new);
    this.queryParameters =
        match.queryParameters().stream()
            .map(
                q ->
                    new CompiledQuery(
                        q.name(), q.value().map(StringValueMatcher::new).orElse(null)))
            .toArray(CompiledQuery[]::new);
  }

  /**
   * @param pathOnly the request path without its query
   */
  boolean matches(RouteRequest req, String pathOnly) {
    return matches(req, pathOnly, pathOnly.length());
  }

  /**
   * As {@link #matches(RouteRequest, String)} for the path {@code target.substring(0, pathEnd)},
   * compared in place: no substring per request.
   */
  boolean matches(RouteRequest req, String target, int pathEnd) {
    return pathMatches(target, pathEnd) && headersMatch(req) && queryMatches(req);
  }

  /** The length of the matched prefix, for prefix rewrites; the whole path for an exact match. */
  int matchedPrefixLength(String pathOnly) {
    if (path instanceof PathMatch.Prefix p) {
      return p.prefix().length();
    }
    return path instanceof PathMatch.Exact ? pathOnly.length() : 0;
  }

  // Each test is its substring form's exact equivalent: a prefix longer than the path fails,
  // equals(IgnoreCase) is "same length and regionMatches", and a matcher confined to the region
  // (anchoring, opaque bounds: Matcher's defaults) sees only the path.
  private boolean pathMatches(String target, int pathEnd) {
    if (path instanceof PathMatch.Prefix p) {
      int n = p.prefix().length();
      return n <= pathEnd && target.regionMatches(!caseSensitive, 0, p.prefix(), 0, n);
    }
    if (path instanceof PathMatch.Exact e) {
      return pathEnd == e.path().length()
          && target.regionMatches(!caseSensitive, 0, e.path(), 0, pathEnd);
    }
    return pathPattern.matcher(target).region(0, pathEnd).matches();
  }

  private boolean headersMatch(RouteRequest req) {
    for (CompiledHeaderMatcher h : headers) {
      if (!h.matches(headerValue(req, h.name()))) {
        return false;
      }
    }
    return true;
  }

  /** The value Envoy's {@code HeaderUtility::matchHeaders} compares: values joined with ",". */
  private static String headerValue(RouteRequest req, String name) {
    switch (name) {
      case ":authority":
        return req.authority();
      case ":method":
        return req.method();
      case ":path":
        return req.path();
      case ":scheme":
        return req.scheme();
      default:
        List<String> values = req.headers(name);
        if (values.isEmpty()) {
          return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }
  }

  private boolean queryMatches(RouteRequest req) {
    if (queryParameters.length == 0) {
      return true;
    }
    Map<String, List<String>> params = new QueryStringDecoder(req.path()).parameters();
    for (CompiledQuery q : queryParameters) {
      List<String> values = params.get(q.name());
      if (values == null || values.isEmpty()) {
        return false;
      }
      if (q.value() != null && !q.value().matches(values.get(0))) {
        return false;
      }
    }
    return true;
  }
}
