package io.outrigger.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.accesslog.AccessLogFormat;
import io.outrigger.api.model.accesslog.FormatString;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.StreamInfo;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

  /** A finished stream with every value set, as a test double of the SPI. */
  private static class Finished implements StreamInfo {
    HttpRequest request =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/locations");
    HttpHeaders response = new DefaultHttpHeaders();
    ResponseFlag flag;
    String details = "via_upstream";
    String host = "10.0.2.1:80";
    int code = 204;

    Finished() {
      request.headers().set("host", "locations");
      request.headers().set("user-agent", "nsq2http");
      request.headers().set("x-forwarded-for", "10.0.35.28");
      request.headers().set("x-request-id", "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2");
      response.set("x-envoy-upstream-service-time", "100");
    }

    @Override
    public InetSocketAddress downstreamRemoteAddress() {
      return new InetSocketAddress("10.0.35.28", 51234);
    }

    @Override
    public String statPrefix() {
      return "ingress";
    }

    @Override
    public String upstreamCluster() {
      return "locations";
    }

    @Override
    public String upstreamHost() {
      return host;
    }

    @Override
    public int responseCode() {
      return code;
    }

    @Override
    public ResponseFlag responseFlag() {
      return flag;
    }

    @Override
    public String responseCodeDetails() {
      return details;
    }

    @Override
    public long startNanos() {
      return 0;
    }

    @Override
    public Instant startTime() {
      return Instant.parse("2016-04-15T20:17:00.310Z");
    }

    @Override
    public String protocol() {
      return "HTTP/2";
    }

    @Override
    public HttpRequest request() {
      return request;
    }

    @Override
    public HttpHeaders responseHeaders() {
      return response;
    }

    @Override
    public long bytesReceived() {
      return 154;
    }

    @Override
    public long bytesSent() {
      return 0;
    }

    @Override
    public long durationNanos() {
      return 226_999_999;
    }

    @Override
    public int upstreamRequestAttemptCount() {
      return 2;
    }
  }

  private static String text(String format, StreamInfo info) {
    return new LogFormat(new AccessLogFormat.Text(FormatString.parse(format), false)).format(info);
  }

  private static String json(String key, String format, boolean omitEmpty, StreamInfo info) {
    return new LogFormat(
            new AccessLogFormat.Json(
                new AccessLogFormat.JsonObject(
                    List.of(
                        new AccessLogFormat.JsonField(
                            key, new AccessLogFormat.JsonString(FormatString.parse(format))))),
                omitEmpty))
        .format(info);
  }

  @Test
  void defaultFormatReadsAsEnvoysDocumentedExample() {
    String line = new LogFormat(AccessLogFormat.envoyDefault()).format(new Finished());

    // Envoy's access log docs, the default format's example line (upstream host as Envoy prints
    // it today: ip:port).
    assertThat(line)
        .isEqualTo(
            "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100"
                + " \"10.0.35.28\" \"nsq2http\" \"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\""
                + " \"locations\" \"10.0.2.1:80\"\n");
  }

  @Test
  void rendersEveryOperator() {
    Finished info = new Finished();
    info.flag = ResponseFlag.UO;
    info.details = "upstream_overflow";

    assertThat(
            text(
                "%PROTOCOL%|%RESPONSE_CODE%|%RESPONSE_FLAGS%|%RESPONSE_CODE_DETAILS%|"
                    + "%BYTES_RECEIVED%|%BYTES_SENT%|%DURATION%|%UPSTREAM_HOST%|%UPSTREAM_CLUSTER%|"
                    + "%DOWNSTREAM_REMOTE_ADDRESS%|%UPSTREAM_REQUEST_ATTEMPT_COUNT%|%TRACE_ID%|"
                    + "%DOWNSTREAM_PEER_URI_SAN%|%REQ(:METHOD)%|%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%|"
                    + "%START_TIME%",
                info))
        .isEqualTo(
            "HTTP/2|204|UO|upstream_overflow|154|0|226|10.0.2.1:80|locations|10.0.35.28:51234|2|-|-"
                + "|POST|100|2016-04-15T20:17:00.310Z");
  }

  @Test
  void missingValuesAreDashesInTextAndEmptyWithOmitEmptyValues() {
    Finished info = new Finished();
    info.host = null;
    info.details = "";

    assertThat(text("%UPSTREAM_HOST% %RESPONSE_CODE_DETAILS% %REQ(X-NONE)%", info))
        .isEqualTo("- - -");
    assertThat(
            new LogFormat(
                    new AccessLogFormat.Text(
                        FormatString.parse("[%UPSTREAM_HOST%][%REQ(X-NONE)%]"), true))
                .format(info))
        .isEqualTo("[][]");
  }

  @Test
  void headerAlternativesAndMaxLength() {
    Finished info = new Finished();

    assertThat(text("%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", info)).isEqualTo("/api/v1/locations");
    info.request.headers().set("x-envoy-original-path", "/original");
    assertThat(text("%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", info)).isEqualTo("/original");
    assertThat(text("%REQ(USER-AGENT):3%", info)).isEqualTo("nsq");
    assertThat(text("%REQ(X-NONE?USER-AGENT):4%", info)).isEqualTo("nsq2");
    assertThat(text("%REQ(:AUTHORITY)%", info)).isEqualTo("locations");
  }

  @Test
  void jsonKeepsNumbersAndNullAndEscapesStrings() {
    Finished info = new Finished();
    info.response = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
    info.response.set("x-agent", "a \"quoted\" \\ agent\n\u0001");
    info.host = null;

    assertThat(json("code", "%RESPONSE_CODE%", false, info)).isEqualTo("{\"code\":204}\n");
    assertThat(json("host", "%UPSTREAM_HOST%", false, info)).isEqualTo("{\"host\":null}\n");
    assertThat(json("host", "%UPSTREAM_HOST%", true, info)).isEqualTo("{}\n");
    assertThat(json("ua", "%RESP(X-AGENT)%", false, info))
        .isEqualTo("{\"ua\":\"a \\\"quoted\\\" \\\\ agent\\n\\u0001\"}\n");
    assertThat(json("mixed", "%RESPONSE_CODE% %UPSTREAM_HOST%", false, info))
        .isEqualTo("{\"mixed\":\"204 -\"}\n");
    JsonObject parsed =
        JsonParser.parseString(json("ua", "%RESP(X-AGENT)%", false, info)).getAsJsonObject();
    assertThat(parsed.get("ua").getAsString()).isEqualTo("a \"quoted\" \\ agent\n\u0001");
  }

  @Test
  void jsonNestsObjectsInConfiguredOrder() {
    AccessLogFormat.JsonObject inner =
        new AccessLogFormat.JsonObject(
            List.of(
                new AccessLogFormat.JsonField(
                    "z", new AccessLogFormat.JsonString(FormatString.parse("%BYTES_SENT%"))),
                new AccessLogFormat.JsonField(
                    "a", new AccessLogFormat.JsonString(FormatString.parse("lit")))));
    AccessLogFormat.Json format =
        new AccessLogFormat.Json(
            new AccessLogFormat.JsonObject(
                List.of(
                    new AccessLogFormat.JsonField(
                        "flags",
                        new AccessLogFormat.JsonString(FormatString.parse("%RESPONSE_FLAGS%"))),
                    new AccessLogFormat.JsonField("bytes", inner))),
            false);

    assertThat(new LogFormat(format).format(new Finished()))
        .isEqualTo("{\"flags\":\"-\",\"bytes\":{\"z\":0,\"a\":\"lit\"}}\n");
  }

  @Test
  void printsIpv6AddressesInBrackets() {
    assertThat(LogFormat.address(new InetSocketAddress("::1", 8080)))
        .isEqualTo("[0:0:0:0:0:0:0:1]:8080");
  }
}
