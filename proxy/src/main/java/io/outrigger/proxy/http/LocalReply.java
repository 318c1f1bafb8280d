package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Builds the responses the proxy answers itself: short text bodies that say why. */
public final class LocalReply {
  private LocalReply() {}

  /**
   * @param body the text; a newline is appended when missing
   * @param head whether the request was HEAD (no body is sent, the length still is)
   */
  public static FullHttpResponse create(
      ByteBufAllocator alloc, int status, String body, boolean head) {
    String text = body.isEmpty() || body.endsWith("\n") ? body : body + "\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = head ? alloc.buffer(0) : alloc.buffer(bytes.length).writeBytes(bytes);
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (bytes.length > 0) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
    }
    return r;
  }
}
