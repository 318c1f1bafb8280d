package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.ComparisonFilter;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileProto;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StreamProto;
import io.outrigger.api.model.accesslog.AccessLogConfig;
import io.outrigger.api.model.accesslog.AccessLogFilter;
import io.outrigger.api.model.accesslog.AccessLogFormat;
import io.outrigger.api.model.accesslog.AccessLogSink;
import io.outrigger.api.model.accesslog.FormatString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates {@code access_log} entries ({@code envoy.config.accesslog.v3.AccessLog}) of the HTTP
 * connection manager and of {@code tcp_proxy}. The sink is chosen by the {@code typed_config} type:
 * {@code FileAccessLog}, {@code StdoutAccessLog} or {@code StderrAccessLog}. Format strings are
 * parsed here, so that an unknown command operator is refused with the config.
 */
final class AccessLogTranslator {
  static final String FILE_TYPE_URL =
      ProtoTypes.typeUrl(FileProto.getDescriptor(), "FileAccessLog");
  static final String STDOUT_TYPE_URL =
      ProtoTypes.typeUrl(StreamProto.getDescriptor(), "StdoutAccessLog");
  static final String STDERR_TYPE_URL =
      ProtoTypes.typeUrl(StreamProto.getDescriptor(), "StderrAccessLog");

  private AccessLogTranslator() {}

  /** Every entry of an {@code access_log} list; {@code path} is the list's owner. */
  static List<AccessLogConfig> translate(List<AccessLog> logs, String path) throws ConfigException {
    List<AccessLogConfig> out = new ArrayList<>(logs.size());
    for (int i = 0; i < logs.size(); i++) {
      out.add(translate(logs.get(i), Paths.item(path, "access_log", i)));
    }
    return out;
  }

  private static AccessLogConfig translate(AccessLog proto, String path) throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    String configPath = Paths.field(path, "typed_config");
    if (!proto.hasTypedConfig()) {
      throw ConfigException.at(configPath, "required");
    }
    Any config = proto.getTypedConfig();
    AccessLogSink sink;
    SubstitutionFormatString format = null;
    String formatPath = Paths.field(configPath, "log_format");
    if (config.getTypeUrl().equals(FILE_TYPE_URL)) {
      FileAccessLog file = unpack(config, FileAccessLog.class, configPath);
      SupportedFieldsCheck.check(file, configPath);
      if (file.getPath().isEmpty()) {
        throw ConfigException.at(Paths.field(configPath, "path"), "required");
      }
      sink = new AccessLogSink.File(file.getPath());
      format = file.hasLogFormat() ? file.getLogFormat() : null;
    } else if (config.getTypeUrl().equals(STDOUT_TYPE_URL)) {
      StdoutAccessLog stdout = unpack(config, StdoutAccessLog.class, configPath);
      SupportedFieldsCheck.check(stdout, configPath);
      sink = new AccessLogSink.Stdout();
      format = stdout.hasLogFormat() ? stdout.getLogFormat() : null;
    } else if (config.getTypeUrl().equals(STDERR_TYPE_URL)) {
      StderrAccessLog stderr = unpack(config, StderrAccessLog.class, configPath);
      SupportedFieldsCheck.check(stderr, configPath);
      sink = new AccessLogSink.Stderr();
      format = stderr.hasLogFormat() ? stderr.getLogFormat() : null;
    } else {
      throw ConfigException.at(
          configPath,
          "access logger type \""
              + config.getTypeUrl()
              + "\" not supported (supported: "
              + FILE_TYPE_URL
              + ", "
              + STDOUT_TYPE_URL
              + ", "
              + STDERR_TYPE_URL
              + ")");
    }
    Optional<AccessLogFilter> filter =
        proto.hasFilter()
            ? Optional.of(filter(proto.getFilter(), Paths.field(path, "filter")))
            : Optional.empty();
    return new AccessLogConfig(
        proto.getName(),
        sink,
        format == null ? AccessLogFormat.envoyDefault() : format(format, formatPath),
        filter);
  }

  private static AccessLogFormat format(SubstitutionFormatString proto, String path)
      throws ConfigException {
    boolean omitEmpty = proto.getOmitEmptyValues();
    return switch (proto.getFormatCase()) {
      case TEXT_FORMAT ->
          new AccessLogFormat.Text(
              formatString(proto.getTextFormat(), Paths.field(path, "text_format")), omitEmpty);
      case TEXT_FORMAT_SOURCE -> {
        String at = Paths.field(path, "text_format_source");
        var source = proto.getTextFormatSource();
        String text =
            switch (source.getSpecifierCase()) {
              case INLINE_STRING -> source.getInlineString();
              case INLINE_BYTES -> source.getInlineBytes().toStringUtf8();
              default -> throw ConfigException.at(at, "inline_string or inline_bytes required");
            };
        yield new AccessLogFormat.Text(
            formatString(
                text, Paths.field(at, source.hasInlineString() ? "inline_string" : "inline_bytes")),
            omitEmpty);
      }
      case JSON_FORMAT ->
          new AccessLogFormat.Json(
              jsonObject(proto.getJsonFormat(), Paths.field(path, "json_format")), omitEmpty);
      default ->
          throw ConfigException.at(
              path, "one of text_format_source, text_format or json_format required");
    };
  }

  private static AccessLogFormat.JsonObject jsonObject(Struct struct, String path)
      throws ConfigException {
    if (struct.getFieldsCount() == 0) {
      throw ConfigException.at(path, "empty (expected: at least one key)");
    }
    List<AccessLogFormat.JsonField> fields = new ArrayList<>();
    for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
      String at = path + "[\"" + e.getKey() + "\"]";
      Value v = e.getValue();
      AccessLogFormat.JsonNode node =
          switch (v.getKindCase()) {
            case STRING_VALUE ->
                new AccessLogFormat.JsonString(formatString(v.getStringValue(), at));
            case STRUCT_VALUE -> jsonObject(v.getStructValue(), at);
            default ->
                throw ConfigException.at(
                    at,
                    v.getKindCase().name().toLowerCase(java.util.Locale.ROOT)
                        + " not supported (expected: a format string or a nested object)");
          };
      fields.add(new AccessLogFormat.JsonField(e.getKey(), node));
    }
    return new AccessLogFormat.JsonObject(fields);
  }

  private static FormatString formatString(String text, String path) throws ConfigException {
    try {
      return FormatString.parse(text);
    } catch (IllegalArgumentException e) {
      throw ConfigException.at(path, e.getMessage());
    }
  }

  private static AccessLogFilter filter(
      io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    return switch (proto.getFilterSpecifierCase()) {
      case STATUS_CODE_FILTER -> {
        String at = Paths.field(path, "status_code_filter");
        yield new AccessLogFilter.StatusCode(
            comparison(proto.getStatusCodeFilter().getComparison(), Paths.field(at, "comparison")));
      }
      case DURATION_FILTER -> {
        String at = Paths.field(path, "duration_filter");
        yield new AccessLogFilter.Duration(
            comparison(proto.getDurationFilter().getComparison(), Paths.field(at, "comparison")));
      }
      case AND_FILTER ->
          new AccessLogFilter.And(
              filters(proto.getAndFilter().getFiltersList(), Paths.field(path, "and_filter")));
      case OR_FILTER ->
          new AccessLogFilter.Or(
              filters(proto.getOrFilter().getFiltersList(), Paths.field(path, "or_filter")));
      default -> throw ConfigException.at(path, "a filter is required");
    };
  }

  private static List<AccessLogFilter> filters(
      List<io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter> protos, String path)
      throws ConfigException {
    if (protos.size() < 2) {
      throw ConfigException.at(
          Paths.field(path, "filters"), protos.size() + " (expected: at least 2, as in Envoy)");
    }
    List<AccessLogFilter> out = new ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      out.add(filter(protos.get(i), Paths.item(path, "filters", i)));
    }
    return out;
  }

  private static AccessLogFilter.Comparison comparison(ComparisonFilter proto, String path)
      throws ConfigException {
    if (!proto.hasValue()) {
      throw ConfigException.at(Paths.field(path, "value"), "required");
    }
    AccessLogFilter.Op op =
        switch (proto.getOp()) {
          case EQ -> AccessLogFilter.Op.EQ;
          case GE -> AccessLogFilter.Op.GE;
          case LE -> AccessLogFilter.Op.LE;
          default ->
              throw ConfigException.at(
                  Paths.field(path, "op"),
                  proto.getOp() + " not supported (expected: EQ, GE or LE)");
        };
    // runtime_key is required by Envoy's proto but Outrigger has no runtime: default_value rules.
    return new AccessLogFilter.Comparison(
        op, Integer.toUnsignedLong(proto.getValue().getDefaultValue()));
  }

  private static <T extends Message> T unpack(Any any, Class<T> type, String path)
      throws ConfigException {
    try {
      return Anys.unpack(any, type);
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(path, "cannot decode " + any.getTypeUrl() + ": " + e.getMessage());
    }
  }
}
