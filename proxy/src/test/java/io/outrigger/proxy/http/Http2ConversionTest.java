package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2Conversion} against Netty's {@link HttpConversionUtil}, whose semantics it keeps: the
 * same HTTP/1.1 request (less the {@code x-http2-*} headers Netty adds) and the same HEADERS block
 * for a response.
 */
class Http2ConversionTest {
  private static final int STREAM = 5;

  @Test
  void aRequestIsNettysWithoutItsExtensionHeaders() throws Exception {
    Http2Headers h2 =
        h2(
            ":method",
            "GET",
            ":scheme",
            "https",
            ":authority",
            "example.com",
            ":path",
            "/a?b=1",
            "user-agent",
            "curl",
            "cookie",
            "a=1",
            "accept",
            "*/*",
            "cookie",
            "b=2",
            "x-http2-stream-id",
            "99",
            "x-http2-other",
            "kept",
            "trailer",
            "x-sum");

    HttpRequest ours = Http2Conversion.request(STREAM, h2, null);
    HttpRequest netty = HttpConversionUtil.toHttpRequest(STREAM, h2, false);

    assertThat(ours.method()).isEqualTo(netty.method());
    assertThat(ours.uri()).isEqualTo("/a?b=1").isEqualTo(netty.uri());
    assertThat(entries(ours.headers())).isEqualTo(withoutNettyExtensions(entries(netty.headers())));
    assertThat(entries(ours.headers()))
        .containsExactly(
            "host=example.com",
            "user-agent=curl",
            "accept=*/*",
            "x-http2-other=kept",
            "cookie=a=1; b=2");
    assertThat(ours).isNotInstanceOf(FullHttpRequest.class);
  }

  @Test
  void aWholeRequestHasTheGivenBodyAndNoTrailers() throws Exception {
    HttpRequest ours =
        Http2Conversion.request(
            STREAM, h2(":method", "POST", ":scheme", "http", ":path", "/p"), Unpooled.EMPTY_BUFFER);

    assertThat(ours).isInstanceOf(FullHttpRequest.class);
    FullHttpRequest full = (FullHttpRequest) ours;
    assertThat(full.content().readableBytes()).isZero();
    assertThat(full.trailingHeaders().isEmpty()).isTrue();
    assertThat(entries(full.headers())).isEmpty();
  }

  @Test
  void connectTargetsTheAuthority() throws Exception {
    Http2Headers h2 = h2(":method", "CONNECT", ":authority", "db.internal:5432");

    HttpRequest ours = Http2Conversion.request(STREAM, h2, null);
    HttpRequest netty = HttpConversionUtil.toHttpRequest(STREAM, h2, false);

    assertThat(ours.uri()).isEqualTo("db.internal:5432").isEqualTo(netty.uri());
    assertThat(entries(ours.headers())).containsExactly("host=db.internal:5432");
  }

  @Test
  void aHostThatRepeatsTheAuthorityIsDroppedAndOneThatContradictsItIsAStreamError()
      throws Exception {
    Http2Headers same = authorityAndHost("A.test");
    assertThat(entries(Http2Conversion.request(STREAM, same, null).headers()))
        .containsExactly("host=a.test")
        .isEqualTo(
            withoutNettyExtensions(
                entries(HttpConversionUtil.toHttpRequest(STREAM, same, false).headers())));

    Http2Headers other = authorityAndHost("b.test");
    assertThatThrownBy(() -> Http2Conversion.request(STREAM, other, null))
        .isInstanceOf(Http2Exception.class);
    assertThatThrownBy(() -> HttpConversionUtil.toHttpRequest(STREAM, other, false))
        .isInstanceOf(Http2Exception.class);
  }

  @Test
  void anUnknownPseudoHeaderOrAMissingPathIsAStreamError() {
    assertThatThrownBy(
            () ->
                Http2Conversion.request(
                    STREAM, h2(":method", "GET", ":path", "/", ":sneaky", "x"), null))
        .isInstanceOf(Http2Exception.class)
        .hasMessageContaining(":sneaky");
    assertThatThrownBy(() -> Http2Conversion.request(STREAM, h2(":method", "GET"), null))
        .isInstanceOf(Http2Exception.class);
    assertThatThrownBy(() -> Http2Conversion.request(STREAM, h2(":method", "CONNECT"), null))
        .isInstanceOf(Http2Exception.class);
  }

  @Test
  void trailersAreNettys() throws Exception {
    Http2Headers h2 =
        h2("grpc-status", "0", "cookie", "late=1", "x-http2-path", "/x", "trailer", "y");
    // As the trailers of the stream's LastHttpContent: not validated again.
    HttpHeaders ours =
        DefaultHttpHeadersFactory.trailersFactory().withValidation(false).newHeaders();
    HttpHeaders netty =
        DefaultHttpHeadersFactory.trailersFactory().withValidation(false).newHeaders();

    Http2Conversion.trailers(STREAM, h2, ours);
    HttpConversionUtil.addHttp2ToHttpHeaders(STREAM, h2, netty, HttpVersion.HTTP_1_1, true, true);

    assertThat(entries(ours))
        .isEqualTo(entries(netty))
        .containsExactly("grpc-status=0", "cookie=late=1");
  }

  @Test
  void aResponseIsNettysWithSharedLowerCaseNames() {
    HttpResponse response = response();
    HttpHeaders h = response.headers();
    h.add("Server", "nginx");
    h.add("Date", "Mon, 07 Dec 2026 05:00:00 GMT");
    h.add("Content-Type", "text/plain");
    h.add("Content-Length", "2");
    h.add("X-Custom", "v");
    h.add("x-envoy-upstream-service-time", "1");
    h.add("Keep-Alive", "timeout=5");
    h.add("Host", "dropped");
    h.add("x-http2-stream-id", "7");
    h.add("x-http2-stream-weight", "16");

    Http2Headers ours = Http2Conversion.response(response);

    assertThat(entries(ours))
        .isEqualTo(entries(HttpConversionUtil.toHttp2Headers(response, false)));
    assertThat(entries(ours))
        .containsExactly(
            ":status=200",
            "server=nginx",
            "date=Mon, 07 Dec 2026 05:00:00 GMT",
            "content-type=text/plain",
            "content-length=2",
            "x-custom=v",
            "x-envoy-upstream-service-time=1",
            "x-http2-stream-weight=16");
    assertThat((Object) nameOf(Http2Conversion.response(response), "content-type"))
        .isSameAs(nameOf(ours, "content-type"));
  }

  @Test
  void aResponseWithConnectionTeOrCookieGoesThroughNettysConversion() {
    HttpResponse response = response();
    response.headers().add("Connection", "X-Hop").add("X-Hop", "1").add("TE", "trailers, gzip");
    response.headers().add("Cookie", "a=1; b=2").add("Vary", "Accept");

    assertThat(entries(Http2Conversion.response(response)))
        .isEqualTo(entries(HttpConversionUtil.toHttp2Headers(response, false)))
        .contains("te=trailers", "cookie=a=1", "cookie=b=2", "vary=Accept")
        .noneMatch(e -> e.startsWith("x-hop") || e.startsWith("connection"));
  }

  @Test
  void responseTrailersAreNettys() {
    HttpHeaders trailers = DefaultHttpHeadersFactory.trailersFactory().newHeaders();
    assertThat(Http2Conversion.trailers(trailers).isEmpty()).isTrue();

    trailers.add("Grpc-Status", "0").add("grpc-message", "ok");
    assertThat(entries(Http2Conversion.trailers(trailers)))
        .isEqualTo(entries(HttpConversionUtil.toHttp2Headers(trailers, false)))
        .containsExactly("grpc-status=0", "grpc-message=ok");
  }

  @Test
  void lowerCaseKeepsALowerCaseNameAndSharesCommonOnes() {
    var lower = io.netty.util.AsciiString.of("x-request-id");
    assertThat((Object) Http2Conversion.lowerCase(lower)).isSameAs(lower);
    assertThat((Object) Http2Conversion.lowerCase("Server"))
        .isSameAs(Http2Conversion.lowerCase(io.netty.util.AsciiString.of("Server")))
        .hasToString("server");
    assertThat((Object) Http2Conversion.lowerCase("X-Rare-Name")).hasToString("x-rare-name");
  }

  /** A GET for {@code :authority a.test} that also sends {@code host}. */
  private static Http2Headers authorityAndHost(String host) {
    return h2(
        ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "a.test", "host", host);
  }

  private static HttpResponse response() {
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
  }

  private static Http2Headers h2(String... nameValues) {
    Http2Headers h = new DefaultHttp2Headers(false);
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(io.netty.util.AsciiString.of(nameValues[i]), nameValues[i + 1]);
    }
    return h;
  }

  private static List<String> entries(Iterable<Map.Entry<CharSequence, CharSequence>> headers) {
    List<String> out = new ArrayList<>();
    headers.forEach(e -> out.add(e.getKey() + "=" + e.getValue()));
    return out;
  }

  private static List<String> entries(HttpHeaders headers) {
    List<String> out = new ArrayList<>();
    headers.iteratorCharSequence().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue()));
    return out;
  }

  private static List<String> withoutNettyExtensions(List<String> entries) {
    entries.removeIf(
        e ->
            e.startsWith("x-http2-scheme=")
                || e.startsWith("x-http2-stream-id=")
                || e.startsWith("x-http2-path="));
    return entries;
  }

  private static CharSequence nameOf(Http2Headers h, String name) {
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      if (e.getKey().toString().equals(name)) {
        return e.getKey();
      }
    }
    throw new AssertionError(name);
  }
}
