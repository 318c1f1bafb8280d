package io.outrigger.api.model.tls;

import static java.util.Objects.requireNonNull;

/**
 * One {@code match_typed_subject_alt_names} entry: a URI SAN compared exactly or by prefix.
 *
 * @param kind how the SAN is compared
 * @param value the expected URI, or its prefix
 */
public record SanMatcher(Kind kind, String value) {
  /** How a SAN is compared. */
  public enum Kind {
    EXACT,
    PREFIX
  }

  public SanMatcher {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("matcher: empty (expected: a URI or URI prefix)");
    }
  }

  /** Whether the URI SAN {@code san} matches. */
  public boolean matches(String san) {
    return kind == Kind.EXACT ? value.equals(san) : san.startsWith(value);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }
}
