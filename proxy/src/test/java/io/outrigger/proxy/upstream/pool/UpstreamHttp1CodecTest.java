package io.outrigger.proxy.upstream.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamHttp1CodecTest {
  private static EmbeddedChannel channel(UpstreamHttp1Codec codec) {
    return new EmbeddedChannel(codec.decoder(), codec.encoder());
  }

  @Test
  void responseHeaderNamesKeepTheirSpellingWhetherSharedOrNot() {
    EmbeddedChannel ch = channel(new UpstreamHttp1Codec(4096, 8192, 8192));
    ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ch.releaseOutbound();
    String response =
        "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "content-length: 2\r\n"
            + "CONTENT-ENCODING: identity\r\n"
            + "X-Custom: 1\r\n"
            + "\r\nok";

    ch.writeInbound(Unpooled.copiedBuffer(response + response, StandardCharsets.US_ASCII));

    List<List<CharSequence>> names = new ArrayList<>();
    int ends = 0;
    for (Object m; (m = ch.readInbound()) != null; ) {
      if (m instanceof HttpResponse r) {
        List<CharSequence> these = new ArrayList<>();
        r.headers().iteratorCharSequence().forEachRemaining(e -> these.add(e.getKey()));
        names.add(these);
      }
      if (m instanceof LastHttpContent) {
        ends++;
      }
      ReferenceCountUtil.release(m);
    }
    assertThat(ends).isEqualTo(2);
    assertThat(names).hasSize(2);
    assertThat(names.get(0).stream().map(CharSequence::toString))
        .containsExactly("Content-Type", "content-length", "CONTENT-ENCODING", "X-Custom");
    // The common spellings are one shared name; the others are decoded per response.
    assertThat(names.get(1).get(0)).isSameAs(names.get(0).get(0));
    assertThat(names.get(1).get(1)).isSameAs(names.get(0).get(1));
    assertThat(names.get(1).get(2)).isNotSameAs(names.get(0).get(2));
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void statusLinesKeepTheirWordsWhetherSharedOrNot() {
    EmbeddedChannel ch = channel(new UpstreamHttp1Codec(4096, 8192, 8192));
    String[] lines = {
      "HTTP/1.1 200 OK",
      "HTTP/1.1 200 OK",
      "HTTP/1.0 404 Not Found",
      "HTTP/1.1 299 Fine Enough",
      "HTTP/1.1 200 ok",
      "HTTP/1.1 503 Service Unavailable"
    };
    StringBuilder in = new StringBuilder();
    for (String line : lines) {
      ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
      in.append(line).append("\r\ncontent-length: 0\r\n\r\n");
    }
    ch.releaseOutbound();

    ch.writeInbound(Unpooled.copiedBuffer(in, StandardCharsets.US_ASCII));

    List<String> decoded = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      if (m instanceof HttpResponse r) {
        assertThat(r.decoderResult().isSuccess()).as("%s", r).isTrue();
        decoded.add(
            r.protocolVersion() + " " + r.status().code() + " " + r.status().reasonPhrase());
      }
      ReferenceCountUtil.release(m);
    }
    assertThat(decoded).containsExactly(lines);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void sharesOnlyTheExactBytesOfACommonStatusWord() {
    byte[] line = "xHTTP/1.1 200 OK ok 2x0 099 600 Not Found".getBytes(StandardCharsets.US_ASCII);

    assertThat(StatusLineWords.version(line, 1, 8)).isEqualTo("HTTP/1.1");
    assertThat(StatusLineWords.version(line, 1, 8)).isSameAs(StatusLineWords.version(line, 1, 8));
    assertThat(StatusLineWords.version(line, 1, 7)).isNull();
    assertThat(StatusLineWords.code(line, 10, 3)).isEqualTo("200");
    assertThat(StatusLineWords.code(line, 10, 3)).isSameAs(StatusLineWords.code(line, 10, 3));
    assertThat(StatusLineWords.code(line, 20, 3)).as("2x0").isNull();
    assertThat(StatusLineWords.code(line, 24, 3)).as("099").isNull();
    assertThat(StatusLineWords.code(line, 28, 3)).as("600").isNull();
    assertThat(StatusLineWords.code(line, 10, 2)).isNull();
    assertThat(StatusLineWords.reason(line, 14, 2)).isEqualTo("OK");
    assertThat(StatusLineWords.reason(line, 17, 2)).as("another case").isNull();
    assertThat(StatusLineWords.reason(line, 32, 9)).isEqualTo("Not Found");
  }

  @Test
  void chunkedResponseTrailersAreDecodedAndForbiddenOnesRefused() {
    EmbeddedChannel ch = channel(new UpstreamHttp1Codec(4096, 8192, 8192));
    ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ch.releaseOutbound();

    ch.writeInbound(
        Unpooled.copiedBuffer(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\ngrpc-status: 0\r\ngrpc-message: fine\r\nContent-Length: 9\r\n\r\n",
            StandardCharsets.US_ASCII));

    LastHttpContent last = null;
    for (Object m; (m = ch.readInbound()) != null; ) {
      if (m instanceof LastHttpContent l) {
        last = l;
      } else {
        ReferenceCountUtil.release(m);
      }
    }
    assertThat(last).isNotNull();
    Map<String, String> trailers = new java.util.TreeMap<>();
    last.trailingHeaders().forEach(e -> trailers.put(e.getKey(), e.getValue()));
    // Netty drops the trailers that must not be trailers, as with its own factory.
    assertThat(trailers)
        .containsOnly(Map.entry("grpc-status", "0"), Map.entry("grpc-message", "fine"));
    last.release();
    ch.finish();
  }
}
