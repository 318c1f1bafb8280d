package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code route.v3.RouteMatch}: every part must match for the route to be taken.
 *
 * @param path the path specifier
 * @param caseSensitive whether {@code prefix} and {@code path} compare case-sensitively; default
 *     true; {@code safe_regex} is not affected
 * @param headers all must match; default none
 * @param queryParameters all must match; default none
 */
public record RouteMatch(
    PathMatch path,
    boolean caseSensitive,
    List<HeaderMatcher> headers,
    List<QueryParameterMatcher> queryParameters) {
  public RouteMatch {
    requireNonNull(path, "path");
    headers = List.copyOf(requireNonNull(headers, "headers"));
    queryParameters = List.copyOf(requireNonNull(queryParameters, "queryParameters"));
  }

  /** A case-sensitive prefix match with nothing else. */
  public static RouteMatch prefix(String prefix) {
    return new RouteMatch(new PathMatch.Prefix(prefix), true, List.of(), List.of());
  }
}
