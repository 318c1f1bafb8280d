package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.api.model.accesslog.AccessLogConfig;
import io.outrigger.api.model.accesslog.AccessLogFilter;
import io.outrigger.api.model.accesslog.AccessLogFormat;
import io.outrigger.api.model.accesslog.AccessLogSink;
import io.outrigger.api.model.accesslog.FormatString;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessLogTranslatorTest {
  private static final String FILE =
      "\"@type\": \"type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog\"";
  private static final JsonFormat.Parser PARSER =
      JsonFormat.parser()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(FileAccessLog.getDescriptor())
                  .add(StdoutAccessLog.getDescriptor())
                  .add(StderrAccessLog.getDescriptor())
                  .build());

  private static HttpConnectionManagerConfig hcm(String accessLogJson) throws Exception {
    HttpConnectionManager.Builder b = HttpProtos.hcm(HttpProtos.route("/", "c"));
    PARSER.merge("{\"access_log\": [" + accessLogJson + "]}", b);
    return HttpConnectionManagerTranslator.translate("", b.build(), "l.typed_config");
  }

  private static AccessLogConfig only(String accessLogJson) throws Exception {
    List<AccessLogConfig> logs = hcm(accessLogJson).accessLog();
    assertThat(logs).hasSize(1);
    return logs.get(0);
  }

  @Test
  void fileWithoutFormatUsesEnvoysDefaultFormatAndNoFilter() throws Exception {
    AccessLogConfig log =
        only("{\"name\": \"al\", \"typed_config\": {" + FILE + ", \"path\": \"/tmp/a.log\"}}");

    assertThat(log.name()).isEqualTo("al");
    assertThat(log.sink()).isEqualTo(new AccessLogSink.File("/tmp/a.log"));
    assertThat(log.format()).isEqualTo(AccessLogFormat.envoyDefault());
    assertThat(log.filter()).isEmpty();
  }

  @Test
  void noAccessLogMeansNone() throws Exception {
    HttpConnectionManager proto = HttpProtos.hcm(HttpProtos.route("/", "c")).build();
    assertThat(HttpConnectionManagerTranslator.translate("", proto, "t").accessLog()).isEmpty();
    assertThat(TcpProxyTranslator.translate("", Protos.tcpProxy("c"), "t").accessLog()).isEmpty();
  }

  @Test
  void readsStdoutAndStderrWithTextFormats() throws Exception {
    List<AccessLogConfig> logs =
        hcm("{\"typed_config\": {\"@type\":"
                + " \"type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog\","
                + " \"log_format\": {\"text_format_source\": {\"inline_string\": \"%PROTOCOL%\\n\"}}}},"
                + "{\"typed_config\": {\"@type\":"
                + " \"type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog\","
                + " \"log_format\": {\"text_format\": \"%DURATION%\", \"omit_empty_values\": true}}}")
            .accessLog();

    assertThat(logs.get(0).sink()).isEqualTo(new AccessLogSink.Stdout());
    assertThat(logs.get(0).format())
        .isEqualTo(new AccessLogFormat.Text(FormatString.parse("%PROTOCOL%\n"), false));
    assertThat(logs.get(1).sink()).isEqualTo(new AccessLogSink.Stderr());
    assertThat(logs.get(1).format())
        .isEqualTo(new AccessLogFormat.Text(FormatString.parse("%DURATION%"), true));
  }

  @Test
  void readsJsonFormatWithNestedObjectsInOrder() throws Exception {
    AccessLogConfig log =
        only(
            "{\"typed_config\": {"
                + FILE
                + ", \"path\": \"/tmp/a.log\", \"log_format\": {\"json_format\":"
                + " {\"code\": \"%RESPONSE_CODE%\", \"up\": {\"host\": \"%UPSTREAM_HOST%\"}}}}}");

    AccessLogFormat.Json json = (AccessLogFormat.Json) log.format();
    assertThat(json.object().fields())
        .extracting(AccessLogFormat.JsonField::key)
        .containsExactly("code", "up");
    assertThat(json.object().fields().get(1).value())
        .isEqualTo(
            new AccessLogFormat.JsonObject(
                List.of(
                    new AccessLogFormat.JsonField(
                        "host",
                        new AccessLogFormat.JsonString(FormatString.parse("%UPSTREAM_HOST%"))))));
  }

  @Test
  void readsFiltersWithRuntimeKeyIgnored() throws Exception {
    AccessLogConfig log =
        only(
            "{\"typed_config\": {"
                + FILE
                + ", \"path\": \"/tmp/a.log\"}, \"filter\": {\"or_filter\": {\"filters\": ["
                + "{\"status_code_filter\": {\"comparison\": {\"op\": \"GE\", \"value\":"
                + " {\"default_value\": 500, \"runtime_key\": \"k\"}}}},"
                + "{\"duration_filter\": {\"comparison\": {\"op\": \"GE\", \"value\":"
                + " {\"default_value\": 1000, \"runtime_key\": \"k2\"}}}}]}}}");

    AccessLogFilter filter = log.filter().orElseThrow();
    assertThat(filter)
        .isEqualTo(
            new AccessLogFilter.Or(
                List.of(
                    new AccessLogFilter.StatusCode(
                        new AccessLogFilter.Comparison(AccessLogFilter.Op.GE, 500)),
                    new AccessLogFilter.Duration(
                        new AccessLogFilter.Comparison(AccessLogFilter.Op.GE, 1000)))));
    assertThat(filter.test(503, 0)).isTrue();
    assertThat(filter.test(200, 999)).isFalse();
    assertThat(filter.test(200, 1000)).isTrue();
  }

  @Test
  void refusesAnUnknownCommandOperatorNamingTheFieldAndTheOperator() {
    assertThatThrownBy(
            () ->
                only(
                    "{\"typed_config\": {"
                        + FILE
                        + ", \"path\": \"/tmp/a.log\", \"log_format\": {\"json_format\":"
                        + " {\"x\": \"%NOT_AN_OPERATOR%\"}}}}"))
        .hasMessageStartingWith(
            "l.typed_config.access_log[0].typed_config.log_format.json_format[\"x\"]: unknown"
                + " command operator %NOT_AN_OPERATOR% (supported: START_TIME, REQ,");
    assertThatThrownBy(
            () ->
                only(
                    "{\"typed_config\": {"
                        + FILE
                        + ", \"path\": \"/tmp/a.log\", \"log_format\": {\"text_format_source\":"
                        + " {\"inline_string\": \"%DURATION(x)%\"}}}}"))
        .hasMessage(
            "l.typed_config.access_log[0].typed_config.log_format.text_format_source.inline_string:"
                + " command operator %DURATION(x)%: DURATION does not take any parameters or"
                + " length");
  }

  @Test
  void refusesUnsupportedFieldsByPath() {
    assertThatThrownBy(
            () ->
                only(
                    "{\"typed_config\": {"
                        + FILE
                        + ", \"path\": \"/tmp/a.log\"}, \"filter\": {\"not_health_check_filter\":"
                        + " {}}}"))
        .hasMessage(
            "l.typed_config.access_log[0].filter.not_health_check_filter: field not supported by"
                + " Outrigger (see docs/configuration.md)");
    assertThatThrownBy(
            () ->
                only(
                    "{\"typed_config\": {"
                        + FILE
                        + ", \"path\": \"/tmp/a.log\", \"log_format\": {\"text_format\": \"x\","
                        + " \"content_type\": \"text/plain\"}}}"))
        .hasMessage(
            "l.typed_config.access_log[0].typed_config.log_format.content_type: field not"
                + " supported by Outrigger (see docs/configuration.md)");
    assertThatThrownBy(
            () ->
                only(
                    "{\"typed_config\": {"
                        + FILE
                        + ", \"path\": \"/tmp/a.log\", \"format\": \"x\"}}"))
        .hasMessage(
            "l.typed_config.access_log[0].typed_config.format: field not supported by Outrigger"
                + " (see docs/configuration.md)");
  }

  @Test
  void refusesAMissingPathAndAnAndFilterOfOne() {
    assertThatThrownBy(() -> only("{\"typed_config\": {" + FILE + "}}"))
        .hasMessage("l.typed_config.access_log[0].typed_config.path: required");
    assertThatThrownBy(
            () ->
                only(
                    "{\"typed_config\": {\"@type\":"
                        + " \"type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog\","
                        + " \"path\": \"/a\"}, \"filter\": {\"and_filter\": {\"filters\":"
                        + " [{\"status_code_filter\": {\"comparison\": {\"value\": {\"default_value\":"
                        + " 200}}}}]}}}"))
        .hasMessage(
            "l.typed_config.access_log[0].filter.and_filter.filters: 1 (expected: at least 2, as"
                + " in Envoy)");
  }

  @Test
  void tcpProxyReadsItsAccessLog() throws Exception {
    TcpProxy.Builder b = Protos.tcpProxy("c").toBuilder();
    PARSER.merge(
        "{\"access_log\": [{\"typed_config\": {" + FILE + ", \"path\": \"/tmp/t.log\"}}]}", b);

    TcpProxyConfig config = TcpProxyTranslator.translate("", b.build(), "t");

    assertThat(config.accessLog())
        .containsExactly(
            new AccessLogConfig(
                "",
                new AccessLogSink.File("/tmp/t.log"),
                AccessLogFormat.envoyDefault(),
                Optional.empty()));
  }
}
