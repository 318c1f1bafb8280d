package io.outrigger.api.model.stats;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code stats_config.stats_tags} entry: a tag cut out of every statistic's name by a regex, or
 * a fixed tag added to every statistic.
 *
 * <p>With a regex, the first capture group is removed from the name and the second (the first when
 * there is only one) is the tag's value, as in Envoy. With neither a regex nor a fixed value,
 * {@code name} must be one of Envoy's default tag names ({@code envoy.cluster_name}, …), whose
 * regex is then used.
 *
 * @param name the tag's name, e.g. {@code envoy.cluster_name} or {@code my_tag}; required
 * @param regex the extraction regex (ECMAScript syntax as in Envoy: lookahead is allowed)
 * @param fixedValue a value given to every statistic; exclusive with {@code regex}
 */
public record TagSpecifier(String name, Optional<String> regex, Optional<String> fixedValue) {
  public TagSpecifier {
    requireNonNull(name, "name");
    requireNonNull(regex, "regex");
    requireNonNull(fixedValue, "fixedValue");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tag_name: empty (expected: a tag name)");
    }
    if (regex.isEmpty() && fixedValue.isEmpty() && !DefaultTags.REGEXES.containsKey(name)) {
      throw new IllegalArgumentException(
          "tag_name: \""
              + name
              + "\" is no default tag name (expected: regex or fixed_value, or one of "
              + String.join(", ", DefaultTags.REGEXES.keySet())
              + ")");
    }
    if (regex.isPresent() && fixedValue.isPresent()) {
      throw new IllegalArgumentException("regex and fixed_value: both set (expected: one)");
    }
    if (regex.isPresent()) {
      try {
        if (Pattern.compile(regex.get()).matcher("").groupCount() < 1) {
          throw new IllegalArgumentException(
              "regex: \"" + regex.get() + "\" has no capture group (expected: at least one)");
        }
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "regex: invalid regex \"" + regex.get() + "\": " + e.getDescription());
      }
    }
  }
}
