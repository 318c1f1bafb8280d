package io.outrigger.api.model.accesslog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** How an access log line reads: a format string, or a JSON object of format strings. */
public sealed interface AccessLogFormat {

  /** Envoy's default format string. */
  String DEFAULT_FORMAT =
      "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" "
          + "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
          + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
          + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";

  /** The format used when an access log configures none. */
  static AccessLogFormat envoyDefault() {
    return new Text(FormatString.parse(DEFAULT_FORMAT), false);
  }

  /** Whether a missing value is left out: empty text instead of {@code -}, no JSON key. */
  boolean omitEmptyValues();

  /**
   * A format string ({@code text_format_source} or {@code text_format}); the line is the string
   * with each operator replaced, as written (no newline is added).
   */
  record Text(FormatString format, boolean omitEmptyValues) implements AccessLogFormat {
    public Text {
      requireNonNull(format, "format");
    }
  }

  /**
   * {@code json_format}: one JSON object per line (a newline is added), keys in configured order.
   */
  record Json(JsonObject object, boolean omitEmptyValues) implements AccessLogFormat {
    public Json {
      requireNonNull(object, "object");
    }
  }

  /** A JSON value of the format: a format string or a nested object. */
  sealed interface JsonNode {}

  /**
   * A format string. A string that is exactly one operator keeps its type in the output (numbers
   * stay numbers, a missing value is {@code null}), as in Envoy; anything else is a string.
   */
  record JsonString(FormatString format) implements JsonNode {
    public JsonString {
      requireNonNull(format, "format");
    }
  }

  /** A JSON object, its fields in configured order. */
  record JsonObject(List<JsonField> fields) implements JsonNode {
    public JsonObject {
      fields = List.copyOf(fields);
    }
  }

  /** One key of a {@link JsonObject}. */
  record JsonField(String key, JsonNode value) {
    public JsonField {
      requireNonNull(key, "key");
      requireNonNull(value, "value");
    }
  }
}
