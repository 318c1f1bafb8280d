package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import io.outrigger.proxy.codec.CompactHeaders;

/**
 * Turns an HTTP/2 stream's frames into the Netty {@code HttpObject}s an {@link HttpStream}
 * consumes, and its response back into frames, with the semantics the stream had when each stream
 * was a child channel with Netty's {@code Http2StreamFrameToHttpObjectCodec(isServer: true,
 * validateHeaders: false)}: the request is HTTP/1.1-shaped ({@link Http2Conversion}: {@code
 * :authority} becomes {@code Host}, cookies are joined), a request whose body length is unknown
 * says {@code transfer-encoding: chunked}, and values are not validated again ({@link
 * Http2RequestValidator} did).
 *
 * <p>Stateless. Buffers move from the frame to the object and back; nothing is retained twice.
 */
final class Http2Frames {
  private Http2Frames() {}

  /** The request of a stream's first HEADERS frame; whole when that frame ended the stream. */
  static HttpRequest request(Http2HeadersFrame frame) throws Http2Exception {
    int id = frame.stream().id();
    if (frame.isEndStream()) {
      // No body: an empty buffer that no one needs to release.
      return Http2Conversion.request(id, frame.headers(), Unpooled.EMPTY_BUFFER);
    }
    HttpRequest request = Http2Conversion.request(id, frame.headers(), null);
    if (!HttpUtil.isContentLengthSet(request)) {
      request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return request;
  }

  /** The request's trailers (a HEADERS frame after the request's, which ends the stream). */
  static LastHttpContent trailers(Http2HeadersFrame frame) throws Http2Exception {
    LastHttpContent last =
        new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, CompactHeaders.UNVALIDATED);
    Http2Conversion.trailers(frame.stream().id(), frame.headers(), last.trailingHeaders());
    return last;
  }

  /** A request body piece: the frame's buffer, now the piece's. */
  static HttpContent content(Http2DataFrame frame) {
    return frame.isEndStream()
        ? new DefaultLastHttpContent(frame.content(), CompactHeaders.UNVALIDATED)
        : new DefaultHttpContent(frame.content());
  }

  /**
   * Whether HTTP/2 cannot carry this response piece: an interim answer that is not whole (a 101,
   * which no HTTP/2 request can ask for; Netty's codec refused to encode it too).
   */
  static boolean unencodable(HttpObject msg) {
    return msg instanceof HttpResponse r
        && r.status().codeClass() == HttpStatusClass.INFORMATIONAL
        && !(msg instanceof FullHttpResponse);
  }

  /**
   * Writes a response piece as the frames it becomes, not flushed (never an {@link #unencodable}
   * one). The last frame carries {@code promise}, the others {@code quiet} (a void promise that
   * fires nothing: a failed frame fails the last one too, or the stream's close tells).
   *
   * @return whether the frames end the stream
   */
  static boolean write(
      ChannelHandlerContext ctx,
      Http2FrameStream stream,
      HttpObject msg,
      ChannelPromise promise,
      ChannelPromise quiet) {
    if (msg instanceof HttpResponse response) {
      Http2Headers headers = Http2Conversion.response(response);
      boolean interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      boolean end =
          !interim
              && msg instanceof FullHttpResponse full
              && !full.content().isReadable()
              && full.trailingHeaders().isEmpty();
      boolean more = !interim && !end && msg instanceof LastHttpContent;
      ctx.write(new DefaultHttp2HeadersFrame(headers, end).stream(stream), more ? quiet : promise);
      if (!more) {
        ReferenceCountUtil.release(msg); // an empty whole response, or an interim one
        return end;
      }
    }
    if (msg instanceof LastHttpContent last) {
      writeLast(ctx, stream, last, promise, quiet);
      return true;
    }
    if (msg instanceof HttpContent content) {
      ctx.write(new DefaultHttp2DataFrame(content.content(), false).stream(stream), promise);
    }
    return false;
  }

  /**
   * The end of a response: its last body bytes in a DATA frame, then its trailers in a HEADERS
   * frame. An empty end without trailers is still an (empty) DATA frame, since the stream must end.
   */
  private static void writeLast(
      ChannelHandlerContext ctx,
      Http2FrameStream stream,
      LastHttpContent last,
      ChannelPromise promise,
      ChannelPromise quiet) {
    HttpHeaders trailers = last.trailingHeaders();
    boolean hasTrailers = !trailers.isEmpty();
    ByteBuf content = last.content();
    if (content.isReadable() || (!(last instanceof FullHttpMessage) && !hasTrailers)) {
      ctx.write(
          new DefaultHttp2DataFrame(content, !hasTrailers).stream(stream),
          hasTrailers ? quiet : promise);
    } else {
      content.release();
    }
    if (hasTrailers) {
      Http2Headers h2 = Http2Conversion.trailers(trailers);
      ctx.write(new DefaultHttp2HeadersFrame(h2, true).stream(stream), promise);
    }
  }
}
