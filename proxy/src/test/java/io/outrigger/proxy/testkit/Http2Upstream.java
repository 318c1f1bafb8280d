package io.outrigger.proxy.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/2 upstream (prior knowledge) on 127.0.0.1, port 0, on Netty's frame codec, scripted per
 * request: what it does with each request is up to the test, down to the frames (WireMock cannot
 * refuse a stream or send GOAWAY). Every frame it reads is released.
 */
public final class Http2Upstream implements AutoCloseable {
  /** What the upstream does with a request, on its event loop, once the request has ended. */
  public interface Script {
    void onRequest(ChannelHandlerContext ctx, Http2FrameStream stream);
  }

  private final Channel server;
  private final List<Channel> connections = new CopyOnWriteArrayList<>();

  private Http2Upstream(EventLoopGroup group, int maxConcurrentStreams, Script script) {
    ChannelInitializer<Channel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.add(ch);
            ch.pipeline()
                .addLast(
                    Http2FrameCodecBuilder.forServer()
                        .initialSettings(
                            Http2Settings.defaultSettings()
                                .maxConcurrentStreams(maxConcurrentStreams))
                        .build(),
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        // A request ends with its HEADERS or with a DATA frame.
                        if (msg instanceof Http2HeadersFrame h && h.isEndStream()
                            || msg instanceof Http2DataFrame d && d.isEndStream()) {
                          script.onRequest(ctx, ((Http2StreamFrame) msg).stream());
                        }
                        ReferenceCountUtil.release(msg);
                      }
                    });
          }
        };
    this.server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(init)
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
  }

  /**
   * Starts the upstream on {@code group}, announcing SETTINGS_MAX_CONCURRENT_STREAMS {@code
   * maxConcurrentStreams}; {@code script} runs on the group's loop for each request.
   */
  public static Http2Upstream start(EventLoopGroup group, int maxConcurrentStreams, Script script) {
    return new Http2Upstream(group, maxConcurrentStreams, script);
  }

  /** Answers 200 with {@code body} on {@code stream}. */
  public static void answer(ChannelHandlerContext ctx, Http2FrameStream stream, String body) {
    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(stream));
    ctx.writeAndFlush(
        new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true)
            .stream(stream));
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The connections accepted so far, in order. */
  public List<Channel> connections() {
    return connections;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }
}
