package io.outrigger.proxy.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1HeaderWriterTest {
  @Test
  void writesWhatNettysEncoderWritesForEitherKindOfHeaders() {
    for (HttpHeadersFactory factory :
        new HttpHeadersFactory[] {
          CompactHeaders.HEADERS, DefaultHttpHeadersFactory.headersFactory()
        }) {
      HttpHeaders h = factory.newHeaders();
      h.add("Host", "api.example.com");
      h.add(AsciiString.of("x-request-id"), AsciiString.of("cc21d9b0-cf5c-432b"));
      h.add("Accept", "*/*");
      h.add("accept", new StringBuilder("text/plain"));
      h.add("X-Empty", "");
      h.addInt("Content-Length", 42);

      ByteBuf buf = Unpooled.buffer(4).writeBytes("GET".getBytes(StandardCharsets.US_ASCII));
      Http1HeaderWriter.write(h, buf);

      assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo("GET" + nettys(h));
      buf.release();
    }
  }

  /** The header block Netty's own request encoder writes for these headers. */
  private static String nettys(HttpHeaders h) {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder());
    channel.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", h));
    ByteBuf out = channel.readOutbound();
    String text = out.toString(StandardCharsets.US_ASCII);
    out.release();
    channel.finishAndReleaseAll();
    return text.substring("GET / HTTP/1.1\r\n".length(), text.length() - 2);
  }
}
