package io.outrigger.api.model.tracing;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * {@code type.tracing.v3.CustomTag}: one attribute added to each server span. Envoy's {@code
 * metadata} tags are refused by the translator.
 */
public sealed interface CustomTag {
  /** The attribute name; not empty. */
  String tag();

  /** A fixed value. */
  record Literal(String tag, String value) implements CustomTag {
    public Literal {
      checkTag(tag);
      requireNonNull(value, "value");
    }
  }

  /**
   * The value of a request header (the first, if repeated), else {@code defaultValue}; no attribute
   * when both are missing.
   *
   * @param name the header name, kept lower-case
   * @param defaultValue empty means none
   */
  record RequestHeader(String tag, String name, String defaultValue) implements CustomTag {
    public RequestHeader {
      checkTag(tag);
      requireNonNull(name, "name");
      requireNonNull(defaultValue, "defaultValue");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("request_header.name: empty (expected: a header name)");
      }
      name = name.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The value of an environment variable of the sidecar's process, read when the config is applied,
   * else {@code defaultValue}; no attribute when both are missing.
   */
  record Environment(String tag, String name, String defaultValue) implements CustomTag {
    public Environment {
      checkTag(tag);
      requireNonNull(name, "name");
      requireNonNull(defaultValue, "defaultValue");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("environment.name: empty (expected: a variable name)");
      }
    }
  }

  private static void checkTag(String tag) {
    requireNonNull(tag, "tag");
    if (tag.isEmpty()) {
      throw new IllegalArgumentException("tag: empty (expected: an attribute name)");
    }
  }
}
