package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * {@code config.core.v3.HeaderValueOption}: one header to add.
 *
 * @param key the header name, kept lower-case
 * @param value the literal value (Envoy's {@code %%} already turned into {@code %}); an empty value
 *     is not added, as Envoy does without {@code keep_empty_value}
 * @param appendAction default {@link HeaderAppendAction#APPEND_IF_EXISTS_OR_ADD}
 */
public record HeaderValueOption(String key, String value, HeaderAppendAction appendAction) {
  public HeaderValueOption {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    requireNonNull(appendAction, "appendAction");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key: empty (expected: a header name)");
    }
    key = key.toLowerCase(Locale.ROOT);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            "value: CR, LF and NUL are not allowed in a header value");
      }
    }
  }

  public static HeaderValueOption append(String key, String value) {
    return new HeaderValueOption(key, value, HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD);
  }
}
