package io.outrigger.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}}, {@code ${VAR:-default}} and {@code $$} in scalar values.
 *
 * <p>As in a POSIX shell, the default applies when the variable is unset or empty. {@code $$} is a
 * literal {@code $}; a {@code $} followed by anything else stays as written. Substituted text is
 * not scanned again.
 */
final class EnvSubstitution {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvSubstitution() {}

  /**
   * @throws IllegalArgumentException with the reason, when a variable is unset and has no default
   *     or the expression is malformed
   */
  static String substitute(String text, Map<String, String> env) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (c == '$' && next == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && next == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException(
              "unterminated \"${\" (expected: ${VAR} or ${VAR:-default})");
        }
        out.append(resolve(text.substring(i + 2, close), env));
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String resolve(String expression, Map<String, String> env) {
    int separator = expression.indexOf(":-");
    String name = separator < 0 ? expression : expression.substring(0, separator);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid variable name \"" + name + "\" in \"${" + expression + "}\"");
    }
    String value = env.get(name);
    if (value != null && !(separator >= 0 && value.isEmpty())) {
      return value;
    }
    if (separator < 0) {
      throw new IllegalArgumentException(
          "environment variable \""
              + name
              + "\" is not set (and no default: ${"
              + name
              + ":-...})");
    }
    return expression.substring(separator + 2);
  }
}
