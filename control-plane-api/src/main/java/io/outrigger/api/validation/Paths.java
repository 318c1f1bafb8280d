package io.outrigger.api.validation;

/** Builds field paths in config notation: snake_case proto names, {@code [i]} for list items. */
final class Paths {
  private Paths() {}

  /** {@code prefix.field}, or just {@code field} at the root. */
  static String field(String prefix, String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  /** {@code prefix.field[index]}. */
  static String item(String prefix, String field, int index) {
    return field(prefix, field) + "[" + index + "]";
  }

  /**
   * A model record refused a value. Its messages start with the snake_case field name ({@code
   * "connect_timeout: PT0S (expected: > 0)"}); that name is moved into the path so that the message
   * reads like every other refusal.
   */
  static ConfigException fromModel(String path, IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    int colon = message.indexOf(": ");
    if (colon > 0 && message.substring(0, colon).matches("[a-z_]+")) {
      return ConfigException.at(
          field(path, message.substring(0, colon)), message.substring(colon + 2));
    }
    return ConfigException.at(path, message);
  }
}
