package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * {@code route.v3.QueryParameterMatcher}: the first value of the decoded query parameter {@code
 * name} is compared; an absent parameter never matches.
 *
 * @param name the parameter name, compared exactly
 * @param value the comparison; empty means the parameter must be present ({@code present_match:
 *     true})
 */
public record QueryParameterMatcher(String name, Optional<StringMatcher> value) {
  public QueryParameterMatcher {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a query parameter name)");
    }
  }
}
