package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * {@code codec_type: AUTO} on cleartext: looks at the first bytes of a connection and installs
 * HTTP/2 when they are the prior-knowledge preface ({@code PRI * HTTP/2.0…}), HTTP/1.1 otherwise,
 * then leaves the pipeline. Decides as soon as the bytes so far can only be one or the other.
 */
final class CodecSniffer extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final HttpCodecs codecs;

  CodecSniffer(HttpCodecs codecs) {
    this.codecs = codecs;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.read(); // auto-read is off: ask for the first bytes
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
      ctx.close(); // the client went away before it said which protocol it speaks
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
    boolean prefix = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n);
    if (prefix && n < PREFACE.readableBytes()) {
      ctx.read(); // could still be either: wait for more
      return;
    }
    if (prefix) {
      codecs.addHttp2(ctx.pipeline(), ctx.name());
    } else {
      codecs.addHttp1(ctx.pipeline(), ctx.name());
    }
    ctx.pipeline().remove(this);
  }
}
