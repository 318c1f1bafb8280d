package io.outrigger.api.model.http;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Envoy's {@code safe_regex} is RE2. The data plane runs {@link java.util.regex}, which accepts
 * more than RE2 does; the features RE2 refuses and that change what a pattern means
 * (backreferences, lookaround, atomic groups) are refused here, so a pattern means the same to
 * both.
 */
final class Re2Syntax {
  private Re2Syntax() {}

  /**
   * @param field the snake_case field name that starts the message
   * @throws IllegalArgumentException when {@code regex} does not compile or uses a non-RE2 feature
   */
  static void check(String field, String regex) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          field + ": invalid regex \"" + regex + "\": " + e.getDescription());
    }
    String feature = nonRe2Feature(regex);
    if (feature != null) {
      throw new IllegalArgumentException(
          field + ": regex \"" + regex + "\" uses " + feature + ", which RE2 does not support");
    }
  }

  private static String nonRe2Feature(String regex) {
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (!inClass
            && i + 1 < regex.length()
            && regex.charAt(i + 1) >= '1'
            && regex.charAt(i + 1) <= '9') {
          return "a backreference";
        }
        i++;
      } else if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      } else if (!inClass && c == '(' && regex.startsWith("(?", i)) {
        String rest = regex.substring(i + 2);
        if (rest.startsWith("=")
            || rest.startsWith("!")
            || rest.startsWith("<=")
            || rest.startsWith("<!")) {
          return "lookaround";
        }
        if (rest.startsWith(">")) {
          return "an atomic group";
        }
      }
    }
    return null;
  }
}
