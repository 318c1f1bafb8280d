package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1ResponseEncoderTest {
  private final Http1ResponseEncoder encoder = new Http1ResponseEncoder();
  private final EmbeddedChannel channel = new EmbeddedChannel(encoder);

  private static HttpResponse chunked(HttpResponseStatus status) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    return r;
  }

  /** Writes a chunked response with a body of "hi" and returns the bytes on the wire. */
  private String write(HttpResponse head) {
    channel.writeOutbound(head);
    channel.writeOutbound(
        new DefaultHttpContent(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII)));
    channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
    StringBuilder wire = new StringBuilder();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      wire.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    return wire.toString();
  }

  @Test
  void aResponseToGetCarriesItsChunkedBody() {
    encoder.respondingTo(HttpMethod.GET);
    assertThat(write(chunked(HttpResponseStatus.OK))).endsWith("\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
  }

  @Test
  void aResponseToHeadEndsAtItsHeadersWhateverFollows() {
    encoder.respondingTo(HttpMethod.HEAD);
    String wire = write(chunked(HttpResponseStatus.OK));
    assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
    assertThat(wire).doesNotContain("hi").doesNotContain("0\r\n\r\n");
    // The same connection's next response, to GET, has its body again.
    encoder.respondingTo(HttpMethod.GET);
    assertThat(write(chunked(HttpResponseStatus.OK))).endsWith("2\r\nhi\r\n0\r\n\r\n");
  }

  @Test
  void aSuccessfulAnswerToConnectLosesTransferEncoding() {
    encoder.respondingTo(HttpMethod.CONNECT);
    HttpResponse ok = chunked(HttpResponseStatus.OK);
    channel.writeOutbound(ok);
    ByteBuf head = channel.readOutbound();
    assertThat(head.toString(StandardCharsets.US_ASCII).toLowerCase())
        .doesNotContain("transfer-encoding");
    head.release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void aRefusalOfConnectKeepsItsFraming() {
    encoder.respondingTo(HttpMethod.CONNECT);
    assertThat(write(chunked(HttpResponseStatus.FORBIDDEN)).toLowerCase())
        .contains("transfer-encoding: chunked")
        .endsWith("2\r\nhi\r\n0\r\n\r\n");
  }
}
