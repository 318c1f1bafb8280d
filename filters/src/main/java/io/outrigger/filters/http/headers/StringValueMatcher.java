package io.outrigger.filters.http.headers;

import io.outrigger.api.model.http.StringMatcher;
import java.util.Locale;
import java.util.regex.Pattern;

/** A compiled {@link StringMatcher}: immutable, safe to share between event loops. */
public final class StringValueMatcher {
  private final StringMatcher.Kind kind;
  private final String value;
  private final boolean ignoreCase;
  private final Pattern pattern;

  public StringValueMatcher(StringMatcher m) {
    this.kind = m.kind();
    this.ignoreCase = m.ignoreCase() && m.kind() != StringMatcher.Kind.SAFE_REGEX;
    this.value = ignoreCase ? m.value().toLowerCase(Locale.ROOT) : m.value();
    this.pattern = m.kind() == StringMatcher.Kind.SAFE_REGEX ? Pattern.compile(m.value()) : null;
  }

  public boolean matches(String input) {
    if (pattern != null) {
      return pattern.matcher(input).matches();
    }
    String s = ignoreCase ? input.toLowerCase(Locale.ROOT) : input;
    return switch (kind) {
      case EXACT -> s.equals(value);
      case PREFIX -> s.startsWith(value);
      case SUFFIX -> s.endsWith(value);
      case CONTAINS -> s.contains(value);
      case SAFE_REGEX -> throw new AssertionError("compiled above");
    };
  }
}
