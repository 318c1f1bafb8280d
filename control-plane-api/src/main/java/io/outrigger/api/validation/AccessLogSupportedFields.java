package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.accesslog.v3.AccesslogProto;
import io.envoyproxy.envoy.config.core.v3.BaseProto;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatStringProto;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileProto;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StreamProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The supported subset of access logging, registered into {@link SupportedFields}' table. {@code
 * docs/configuration.md} mirrors it.
 */
final class AccessLogSupportedFields {
  private AccessLogSupportedFields() {}

  /** Adds the access log types' rules to {@code t}. */
  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, AccesslogProto.getDescriptor(), "AccessLog")
        .read("name", "free; the logger is recognised by its typed_config type")
        .read("filter", "status_code_filter, duration_filter, and_filter, or_filter")
        .read("typed_config", "FileAccessLog, StdoutAccessLog or StderrAccessLog");
    TypeRules.of(t, FileProto.getDescriptor(), "FileAccessLog")
        .read("path", "required; opened when the config is applied, appended to")
        .read("log_format", "default: Envoy's default format");
    TypeRules.of(t, StreamProto.getDescriptor(), "StdoutAccessLog")
        .read("log_format", "default: Envoy's default format");
    TypeRules.of(t, StreamProto.getDescriptor(), "StderrAccessLog")
        .read("log_format", "default: Envoy's default format");
    TypeRules.of(t, SubstitutionFormatStringProto.getDescriptor(), "SubstitutionFormatString")
        .read("text_format_source", "inline_string or inline_bytes")
        .read("text_format", "deprecated form of text_format_source")
        .read("json_format", "keys to format strings or nested objects")
        .read("omit_empty_values", "default false: a missing value is - (text) or null (JSON)");
    TypeRules.of(t, AccesslogProto.getDescriptor(), "AccessLogFilter")
        .read("status_code_filter", "compares the response code (0 for TCP)")
        .read("duration_filter", "compares the duration in milliseconds")
        .read("and_filter", "at least 2 filters, all must pass")
        .read("or_filter", "at least 2 filters, one must pass");
    TypeRules.of(t, AccesslogProto.getDescriptor(), "StatusCodeFilter")
        .read("comparison", "required");
    TypeRules.of(t, AccesslogProto.getDescriptor(), "DurationFilter")
        .read("comparison", "required");
    TypeRules.of(t, AccesslogProto.getDescriptor(), "ComparisonFilter")
        .read("op", "EQ (default), GE or LE")
        .read("value", "required; default_value is compared");
    TypeRules.of(t, BaseProto.getDescriptor(), "RuntimeUInt32")
        .read("default_value", "the value used: Outrigger has no runtime layer")
        .ignore("runtime_key", "accepted; no runtime overrides default_value");
    TypeRules.of(t, AccesslogProto.getDescriptor(), "AndFilter").read("filters", "at least 2");
    TypeRules.of(t, AccesslogProto.getDescriptor(), "OrFilter").read("filters", "at least 2");
  }
}
