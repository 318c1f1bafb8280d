package io.outrigger.proxy.stats.envoy;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tag cut out of a dotted statistic name by a regex, with Envoy's rule: the first capture group
 * is the part of the name to remove, the second capture group (or the first, when there is only
 * one) is the tag's value.
 *
 * <p>Immutable and thread-safe.
 */
final class TagExtractor {
  private final String name;
  private final Pattern regex;

  TagExtractor(String name, String regex) {
    this.name = requireNonNull(name, "name");
    this.regex = Pattern.compile(regex);
  }

  String name() {
    return name;
  }

  /**
   * Looks for the tag in {@code statName}.
   *
   * @return the match, or null when the name does not carry this tag
   */
  Match extract(String statName) {
    Matcher m = regex.matcher(statName);
    if (!m.find() || m.groupCount() < 1 || m.group(1) == null) {
      return null;
    }
    int valueGroup = m.groupCount() >= 2 && m.group(2) != null ? 2 : 1;
    return new Match(m.group(valueGroup), m.start(1), m.end(1));
  }

  /**
   * @param value the tag's value
   * @param removeFrom the first character of the name to remove
   * @param removeTo one past the last character to remove
   */
  record Match(String value, int removeFrom, int removeTo) {}
}
