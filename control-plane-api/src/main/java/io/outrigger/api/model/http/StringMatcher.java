package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * {@code type.matcher.v3.StringMatcher}: how a header or query parameter value is compared.
 *
 * @param kind the comparison
 * @param value the text to compare with, or the RE2 pattern for {@link Kind#SAFE_REGEX}, which must
 *     match the whole value
 * @param ignoreCase compare ASCII case-insensitively; default false; has no effect on {@link
 *     Kind#SAFE_REGEX}, as in Envoy
 */
public record StringMatcher(Kind kind, String value, boolean ignoreCase) {

  /** The comparison a {@link StringMatcher} makes. */
  public enum Kind {
    EXACT,
    PREFIX,
    SUFFIX,
    CONTAINS,
    SAFE_REGEX
  }

  public StringMatcher {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (kind == Kind.SAFE_REGEX) {
      Re2Syntax.check("regex", value);
    } else if (value.isEmpty() && kind != Kind.EXACT) {
      throw new IllegalArgumentException(
          kind.name().toLowerCase(java.util.Locale.ROOT)
              + ": empty (expected: at least 1 character)");
    }
  }

  public static StringMatcher exact(String value) {
    return new StringMatcher(Kind.EXACT, value, false);
  }

  public static StringMatcher prefix(String value) {
    return new StringMatcher(Kind.PREFIX, value, false);
  }

  public static StringMatcher regex(String regex) {
    return new StringMatcher(Kind.SAFE_REGEX, regex, false);
  }
}
