package io.outrigger.proxy.listener.filter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/** Real TLS ClientHellos, as a JDK TLS client writes them, for the inspector tests. */
public final class ClientHellos {
  private ClientHellos() {}

  /** A ClientHello with SNI {@code serverName} (none when null) and ALPN {@code alpn}. */
  public static ByteBuf of(String serverName, String... alpn) throws SSLException {
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
    if (alpn.length > 0) {
      b.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              alpn));
    }
    SslContext ctx = b.build();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            serverName == null
                ? ctx.newHandler(ByteBufAllocator.DEFAULT)
                : ctx.newHandler(ByteBufAllocator.DEFAULT, serverName, 443));
    ch.runPendingTasks();
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf out = ch.readOutbound(); out != null; out = ch.readOutbound()) {
      all.writeBytes(out);
      out.release();
    }
    ch.finishAndReleaseAll();
    return all;
  }

  /** The same, as bytes. */
  public static byte[] bytes(String serverName, String... alpn) throws SSLException {
    ByteBuf b = of(serverName, alpn);
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }
}
