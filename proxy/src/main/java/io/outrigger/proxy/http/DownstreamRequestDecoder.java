package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.outrigger.proxy.codec.KnownHeaderNames;
import java.util.List;

/**
 * Netty's request decoder, with two differences:
 *
 * <ul>
 *   <li>the header names clients commonly send are shared ({@link KnownHeaderNames#REQUESTS})
 *       instead of made anew for each header of each request;
 *   <li>a request without a body comes out as one {@link FullHttpRequest} (with an empty, shared
 *       body) instead of its headers and then {@link LastHttpContent#EMPTY_LAST_CONTENT}: the
 *       connection manager then has a whole request at once, and the router writes it upstream as
 *       one message rather than two (each write passes through the upstream's pipeline and becomes
 *       a buffer of its own in the socket's write).
 * </ul>
 *
 * <p>A request with a body, or one the decoder marked as failed, goes on as Netty decodes it.
 */
final class DownstreamRequestDecoder extends HttpRequestDecoder {
  DownstreamRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  @Override
  protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
    AsciiString known = KnownHeaderNames.REQUESTS.lookup(sb, start, length);
    return known != null ? known : super.splitHeaderName(sb, start, length);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    int at = out.size();
    super.decode(ctx, in, out);
    if (out.size() == at + 2
        && out.get(at) instanceof HttpRequest head
        && !(head instanceof HttpContent)
        && out.get(at + 1) == LastHttpContent.EMPTY_LAST_CONTENT
        && head.decoderResult().isSuccess()) {
      out.set(
          at,
          new DefaultFullHttpRequest(
              head.protocolVersion(),
              head.method(),
              head.uri(),
              LastHttpContent.EMPTY_LAST_CONTENT.content(),
              head.headers(),
              LastHttpContent.EMPTY_LAST_CONTENT.trailingHeaders()));
      out.remove(at + 1);
    }
  }
}
