package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code route.v3.HeaderMatcher}. With several values of the header, they are joined with {@code
 * ","} before the comparison, as Envoy does.
 *
 * <p>Envoy's rules: a header that is absent matches only a presence test ({@code present_match:
 * false} without invert, or {@code present_match: true} with invert); a header that is present
 * matches when the comparison's result differs from {@code invertMatch}.
 *
 * @param name the header, lower-case; pseudo-headers such as {@code :authority} allowed
 * @param value the value comparison; empty for a presence test
 * @param present for a presence test: {@code true} matches a present header, {@code false} an
 *     absent one; {@code true} when {@code value} is set
 * @param invertMatch negate the result; default false
 */
public record HeaderMatcher(
    String name, Optional<StringMatcher> value, boolean present, boolean invertMatch) {
  public HeaderMatcher {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a header name)");
    }
    name = name.toLowerCase(Locale.ROOT);
    if (value.isPresent() && !present) {
      throw new IllegalArgumentException("present_match: false cannot go with a value match");
    }
  }

  public static HeaderMatcher of(String name, StringMatcher value) {
    return new HeaderMatcher(name, Optional.of(value), true, false);
  }

  public static HeaderMatcher present(String name) {
    return new HeaderMatcher(name, Optional.empty(), true, false);
  }
}
