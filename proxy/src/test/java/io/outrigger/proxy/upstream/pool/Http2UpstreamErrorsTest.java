package io.outrigger.proxy.upstream.pool;

import static io.outrigger.proxy.testkit.RawHttp2.GOAWAY;
import static io.outrigger.proxy.testkit.RawHttp2.SETTINGS;
import static io.outrigger.proxy.testkit.RawHttp2.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Error;
import io.outrigger.proxy.testkit.Bootstraps;
import io.outrigger.proxy.testkit.RawHttp2;
import io.outrigger.proxy.testkit.RawHttp2.Frame;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP/2 upstream that breaks the protocol hears what it broke: the pool's connection answers a
 * connection error with GOAWAY carrying that error's code, not NO_ERROR, and the request it was to
 * carry fails with a 5xx.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2UpstreamErrorsTest {
  @Test
  void anUpstreamThatPushesTheConnectionWindowPastItsLimitGetsGoAwayFlowControlError()
      throws Exception {
    CompletableFuture<Long> goAwayCode = new CompletableFuture<>();
    try (TcpUpstream upstream =
            TcpUpstream.start(
                (s, u) -> {
                  try {
                    s.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    in.readNBytes(RawHttp2.PREFACE.length);
                    OutputStream out = s.getOutputStream();
                    byte[] increment = RawHttp2.int32(Integer.MAX_VALUE);
                    RawHttp2.write(out, SETTINGS, 0, 0, new byte[0]);
                    RawHttp2.write(out, WINDOW_UPDATE, 0, 0, increment);
                    RawHttp2.write(out, WINDOW_UPDATE, 0, 0, increment);
                    out.flush();
                    List<Frame> got = RawHttp2.readUntil(in, f -> f.type() == GOAWAY);
                    goAwayCode.complete(got.get(got.size() - 1).code());
                  } catch (Throwable t) {
                    goAwayCode.completeExceptionally(t);
                  }
                });
        SidecarFixture sidecar =
            SidecarFixture.start(
                Bootstraps.http2Cluster("/retried"),
                Map.of("H2", String.valueOf(upstream.port())))) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort()))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isBetween(500, 599);
      assertThat(goAwayCode.get(10, TimeUnit.SECONDS))
          .isEqualTo(Http2Error.FLOW_CONTROL_ERROR.code());
    }
  }
}
