package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * {@code type.matcher.v3.RegexMatchAndSubstitute}: every match of {@code pattern} is replaced by
 * {@code substitution}, in which {@code \1}..{@code \9} stand for capture groups ({@code \0} for
 * the whole match), as in RE2.
 */
public record RegexRewrite(String pattern, String substitution) {
  public RegexRewrite {
    requireNonNull(pattern, "pattern");
    requireNonNull(substitution, "substitution");
    Re2Syntax.check("pattern", pattern);
  }
}
