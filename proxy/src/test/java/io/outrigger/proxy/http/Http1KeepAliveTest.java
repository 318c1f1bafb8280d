package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class Http1KeepAliveTest {
  private final Http1KeepAlive keepAlive = new Http1KeepAlive();

  private static HttpRequest request(HttpVersion version, String connection) {
    HttpRequest r = new DefaultHttpRequest(version, HttpMethod.GET, "/");
    if (connection != null) {
      r.headers().set(HttpHeaderNames.CONNECTION, connection);
    }
    return r;
  }

  private static HttpResponse response(int code) {
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
  }

  @Test
  void aPersistentRequestAndResponseKeepTheConnection() {
    keepAlive.onRequest(request(HttpVersion.HTTP_1_1, null));
    HttpResponse r = response(200);
    keepAlive.onResponse(r);
    assertThat(keepAlive.closeAfterResponse()).isFalse();
    assertThat(r.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
  }

  @Test
  void aRequestThatAsksToCloseMakesTheResponseSaySo() {
    keepAlive.onRequest(request(HttpVersion.HTTP_1_1, "close"));
    HttpResponse r = response(200);
    keepAlive.onResponse(r);
    assertThat(keepAlive.closeAfterResponse()).isTrue();
    assertThat(r.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
  }

  @Test
  void anHttp10RequestClosesUnlessItAsksForKeepAlive() {
    keepAlive.onRequest(request(HttpVersion.HTTP_1_0, null));
    keepAlive.onResponse(response(200));
    assertThat(keepAlive.closeAfterResponse()).isTrue();

    keepAlive.onRequest(request(HttpVersion.HTTP_1_0, "keep-alive"));
    keepAlive.onResponse(response(200));
    assertThat(keepAlive.closeAfterResponse()).isFalse();
  }

  @Test
  void aResponseThatSaysCloseClosesTheConnection() {
    keepAlive.onRequest(request(HttpVersion.HTTP_1_1, null));
    HttpResponse r = response(503);
    r.headers().set(HttpHeaderNames.CONNECTION, "close");
    keepAlive.onResponse(r);
    assertThat(keepAlive.closeAfterResponse()).isTrue();
  }

  @Test
  void anInterimResponseChangesNothing() {
    keepAlive.onRequest(request(HttpVersion.HTTP_1_1, "close"));
    HttpResponse interim = response(100);
    keepAlive.onResponse(interim);
    assertThat(keepAlive.closeAfterResponse()).isFalse();
    assertThat(interim.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
  }

  @Test
  void theNextRequestStartsAfresh() {
    keepAlive.onRequest(request(HttpVersion.HTTP_1_1, null));
    HttpResponse r = response(200);
    r.headers().set(HttpHeaderNames.CONNECTION, "close");
    keepAlive.onResponse(r);
    keepAlive.onRequest(request(HttpVersion.HTTP_1_1, null));
    assertThat(keepAlive.closeAfterResponse()).isFalse();
  }
}
