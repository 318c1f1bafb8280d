package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.codec.CompactHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownstreamRequestDecoderTest {
  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new DownstreamRequestDecoder(
            new HttpDecoderConfig().setHeadersFactory(CompactHeaders.HEADERS)));
  }

  @Test
  void requestHeaderNamesKeepTheirSpellingWhetherSharedOrNot() {
    EmbeddedChannel ch = channel();
    String request =
        "GET / HTTP/1.1\r\n"
            + "Host: a\r\n"
            + "User-Agent: curl/8.5\r\n"
            + "accept: */*\r\n"
            + "ACCEPT-ENCODING: gzip\r\n"
            + "X-Custom: 1\r\n"
            + "\r\n";

    ch.writeInbound(Unpooled.copiedBuffer(request + request, StandardCharsets.US_ASCII));

    List<List<CharSequence>> names = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      if (m instanceof HttpRequest r) {
        List<CharSequence> these = new ArrayList<>();
        r.headers().iteratorCharSequence().forEachRemaining(e -> these.add(e.getKey()));
        names.add(these);
      }
      ReferenceCountUtil.release(m);
    }
    assertThat(names).hasSize(2);
    assertThat(names.get(0).stream().map(CharSequence::toString))
        .containsExactly("Host", "User-Agent", "accept", "ACCEPT-ENCODING", "X-Custom");
    // The common spellings are one shared name; the others are decoded per request.
    assertThat(names.get(1).get(1)).isSameAs(names.get(0).get(1));
    assertThat(names.get(1).get(2)).isSameAs(names.get(0).get(2));
    assertThat(names.get(1).get(3)).isNotSameAs(names.get(0).get(3));
    assertThat(names.get(1).get(4)).isNotSameAs(names.get(0).get(4));
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void aRequestWithoutABodyIsOneWholeMessageAndOneWithABodyIsNot() {
    EmbeddedChannel ch = channel();
    String get = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n";
    String post = "POST /b HTTP/1.1\r\nHost: a\r\ncontent-length: 2\r\n\r\nhi";

    ch.writeInbound(Unpooled.copiedBuffer(get + post + get, StandardCharsets.US_ASCII));

    List<String> seen = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      seen.add(
          m instanceof FullHttpRequest full
              ? "whole " + full.method() + " " + full.uri() + " " + full.content().readableBytes()
              : m instanceof HttpRequest r
                  ? "headers " + r.method() + " " + r.uri()
                  : m instanceof LastHttpContent last
                      ? "end " + last.content().toString(StandardCharsets.US_ASCII)
                      : m.getClass().getSimpleName());
      ReferenceCountUtil.release(m);
    }
    assertThat(seen)
        .containsExactly("whole GET /a 0", "headers POST /b", "end hi", "whole GET /a 0");
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void aMalformedRequestIsNotMadeWhole() {
    EmbeddedChannel ch = channel();

    ch.writeInbound(
        Unpooled.copiedBuffer(
            "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", StandardCharsets.US_ASCII));

    Object first = ch.readInbound();
    assertThat(first).isInstanceOf(HttpRequest.class);
    assertThat(((HttpRequest) first).decoderResult().isFailure()).isTrue();
    ReferenceCountUtil.release(first);
    for (Object m; (m = ch.readInbound()) != null; ) {
      ReferenceCountUtil.release(m);
    }
    ch.finishAndReleaseAll();
  }
}
