package io.outrigger.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.outrigger.api.model.tls.CommonTlsConfig;

/**
 * Picks a TLS connection's HTTP codec from the protocol ALPN negotiated: {@code h2} installs
 * HTTP/2, {@code http/1.1} HTTP/1.1, and a client that negotiated nothing gets the listener's
 * {@code codec_type} (the sniffer for AUTO). Leaves the pipeline once it decided; a failed
 * handshake closes the connection in the TLS handler, so it only passes the event on.
 */
final class AlpnCodecSelector extends ChannelInboundHandlerAdapter {
  private final HttpCodecs codecs;

  AlpnCodecSelector(HttpCodecs codecs) {
    this.codecs = codecs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      ctx.read(); // auto-read is off: the TLS handler needs bytes to handshake
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
      String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
      if (CommonTlsConfig.ALPN_H2.equals(protocol)) {
        codecs.addHttp2(ctx.pipeline(), ctx.name());
      } else if (CommonTlsConfig.ALPN_HTTP11.equals(protocol)) {
        codecs.addHttp1(ctx.pipeline(), ctx.name());
      } else {
        codecs.addConfigured(ctx.pipeline(), ctx.name());
      }
      ctx.pipeline().remove(this);
      ctx.channel().read();
    }
    ctx.fireUserEventTriggered(evt);
  }
}
