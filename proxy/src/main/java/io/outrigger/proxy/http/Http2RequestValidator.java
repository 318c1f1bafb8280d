package io.outrigger.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses malformed HTTP/2 requests on one stream before anything is converted to HTTP/1.1 and sent
 * upstream (RFC 9113 8.1.1 and 8.3.1): a request must carry {@code :method}, {@code :scheme} and a
 * non-empty {@code :path} (CONNECT aside); trailers carry no pseudo-header and end the stream; the
 * DATA must add up to {@code content-length}. A malformed request is a stream error of type
 * PROTOCOL_ERROR: the stream is reset and nothing reaches an upstream.
 */
final class Http2RequestValidator extends ChannelInboundHandlerAdapter {
  private boolean headersSeen;
  private long declaredLength = -1;
  private long received;
  private boolean reset;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (reset) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof Http2HeadersFrame headers) {
      if (!headersSeen) {
        headersSeen = true;
        if (!validRequest(headers.headers())) {
          refuse(ctx, msg);
          return;
        }
      } else if (!headers.isEndStream() || hasPseudoHeader(headers.headers())) {
        refuse(ctx, msg); // trailers must end the stream and carry no pseudo-header
        return;
      }
      if (headers.isEndStream() && declaredLength > 0 && received != declaredLength) {
        refuse(ctx, msg);
        return;
      }
    } else if (msg instanceof Http2DataFrame data) {
      received += data.content().readableBytes();
      if (declaredLength >= 0
          && (received > declaredLength || (data.isEndStream() && received != declaredLength))) {
        refuse(ctx, msg);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private boolean validRequest(Http2Headers h) {
    CharSequence method = h.method();
    if (method == null) {
      return false;
    }
    if (!"CONNECT".contentEquals(method)) {
      CharSequence path = h.path();
      if (h.scheme() == null || path == null || path.length() == 0) {
        return false;
      }
    }
    CharSequence length = h.get("content-length");
    if (length != null) {
      try {
        declaredLength = Long.parseLong(length.toString().trim());
      } catch (NumberFormatException e) {
        return false;
      }
      if (declaredLength < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasPseudoHeader(Http2Headers h) {
    for (var e : h) {
      if (e.getKey().length() > 0 && e.getKey().charAt(0) == ':') {
        return true;
      }
    }
    return false;
  }

  private void refuse(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
    reset = true;
    // Resetting closes the stream channel; closing it first would reset with CANCEL instead.
    ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
  }
}
