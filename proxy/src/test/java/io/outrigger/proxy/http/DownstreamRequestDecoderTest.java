package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.codec.CompactHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownstreamRequestDecoderTest {
  @Test
  void requestHeaderNamesKeepTheirSpellingWhetherSharedOrNot() {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new DownstreamRequestDecoder(
                new HttpDecoderConfig().setHeadersFactory(CompactHeaders.HEADERS)));
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
}
