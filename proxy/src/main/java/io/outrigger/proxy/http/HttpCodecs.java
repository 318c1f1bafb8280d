package io.outrigger.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.outrigger.proxy.codec.CompactHeaders;
import io.outrigger.proxy.codec.Http2ConnectionErrors;
import java.util.concurrent.TimeUnit;

/**
 * Composes a downstream HTTP pipeline for a connection manager: HTTP/1.1, HTTP/2, or a sniffer that
 * picks one ({@code codec_type}). Only composes; each concern is its own handler.
 */
public final class HttpCodecs {
  private static final int HTTP2_DEFAULT_WINDOW = 65_535;

  private final HttpConnectionManager hcm;

  /** Whether the connection is TLS: 1, 0, or -1 when the handlers look at the pipeline. */
  private final int tls;

  /** Codecs whose handlers find out from the pipeline whether the connection is TLS. */
  public HttpCodecs(HttpConnectionManager hcm) {
    this.hcm = hcm;
    this.tls = -1;
  }

  /**
   * Codecs for a connection known to be TLS or not (the filter chain that installs them knows): no
   * handler then searches the pipeline for a TLS handler, once per connection.
   */
  public HttpCodecs(HttpConnectionManager hcm, boolean tls) {
    this.hcm = hcm;
    this.tls = tls ? 1 : 0;
  }

  /** Adds the connection manager's handlers to a new downstream connection. */
  public void install(ChannelPipeline p) {
    install(p, false);
  }

  /**
   * Adds the connection manager's handlers after a TLS handler whose ALPN, when {@code alpn} is
   * true, picks the codec once the handshake is done: {@code h2} HTTP/2, {@code http/1.1} HTTP/1.1,
   * nothing negotiated the {@code codec_type} as on cleartext.
   */
  public void install(ChannelPipeline p, boolean alpn) {
    long idleMs = hcm.settings().idleTimeout().toMillis();
    if (idleMs > 0) {
      p.addLast("http-idle", new IdleTimeout(TimeUnit.MILLISECONDS.toNanos(idleMs)));
    }
    if (alpn) {
      p.addLast("alpn-codec", new AlpnCodecSelector(this));
      return;
    }
    addConfigured(p, null);
  }

  /** The codec that {@code codec_type} names; a sniffer for AUTO. */
  void addConfigured(ChannelPipeline p, String after) {
    switch (hcm.settings().codec()) {
      case HTTP1 -> addHttp1(p, after);
      case HTTP2 -> addHttp2(p, after);
      default -> add(p, after, "codec-sniffer", new CodecSniffer(this));
    }
  }

  void addHttp1(ChannelPipeline p, String after) {
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(hcm.settings().maxRequestHeadersBytes())
            .setMaxHeaderSize(hcm.settings().maxRequestHeadersBytes())
            .setMaxChunkSize(64 * 1024)
            .setAllowDuplicateContentLengths(false)
            .setValidateHeaders(true)
            .setHeadersFactory(CompactHeaders.HEADERS)
            .setTrailersFactory(CompactHeaders.TRAILERS)
            .setStrictLineParsing(true);
    Http1ResponseEncoder encoder = new Http1ResponseEncoder();
    DownstreamHttpHandler handler = new DownstreamHttpHandler(hcm, tls, encoder);
    long headersTimeout = hcm.settings().limits().requestHeadersTimeout().toMillis();
    if (headersTimeout > 0) {
      add(
          p,
          after,
          "http1-headers-timeout",
          new RequestHeadersTimer(headersTimeout, handler::onRequestHeadersTimeout));
      after = "http1-headers-timeout";
    }
    // The decoder and the encoder as two handlers, not Netty's combined HttpServerCodec: the
    // connection manager tells the encoder which request it answers, and does what Netty's
    // keep-alive and 100-continue handlers would (DownstreamHttpHandler).
    add(p, after, "http1-decoder", new DownstreamRequestDecoder(decoder));
    p.addAfter("http1-decoder", "http1-encoder", encoder);
    p.addAfter("http1-encoder", "hcm", handler);
  }

  void addHttp2(ChannelPipeline p, String after) {
    // The connection reads on its own: each stream's flow-control window, which the stream opens
    // as it asks for more of its request, is what holds a fast client back.
    p.channel().config().setAutoRead(true);
    HttpSettings s = hcm.settings();
    Http2FrameCodec codec =
        new Http2ServerCodecBuilder()
            .initialSettings(
                Http2Settings.defaultSettings()
                    .maxConcurrentStreams(s.http2MaxConcurrentStreams())
                    .initialWindowSize(s.http2InitialStreamWindow())
                    .maxHeaderListSize(s.maxRequestHeadersBytes()))
            .build();
    add(p, after, "http2-codec", codec);
    Channel connection = p.channel();
    Http2Drain drain = new Http2Drain(connection, codec);
    drainAfter(connection, s.limits().maxConnectionDuration(), drain);
    p.addAfter("http2-codec", "http2-streams", new Http2StreamDispatcher(hcm, codec, drain, tls));
    p.addAfter("http2-streams", "http2-errors", new CloseOnError(codec));
    // Last, since it leaves the pipeline as soon as it has widened the window.
    p.addAfter("http2-codec", "http2-window", new ConnectionWindow(codec, s));
  }

  /** {@code max_connection_duration} for an HTTP/2 connection: it drains when the time is up. */
  private void drainAfter(Channel connection, java.time.Duration maxDuration, Http2Drain drain) {
    long ms = maxDuration.toMillis();
    if (ms <= 0) {
      return;
    }
    var timer =
        connection
            .eventLoop()
            .schedule(
                () -> {
                  hcm.stats().maxDurationReached();
                  drain.start();
                },
                ms,
                TimeUnit.MILLISECONDS);
    connection.closeFuture().addListener(f -> timer.cancel(false));
  }

  private static void add(
      ChannelPipeline p, String after, String name, io.netty.channel.ChannelHandler h) {
    if (after == null) {
      p.addLast(name, h);
    } else {
      p.addAfter(after, name, h);
    }
  }

  /** Raises the HTTP/2 connection window from the protocol's 64 KiB to the configured size. */
  private static final class ConnectionWindow extends ChannelInboundHandlerAdapter {
    private final Http2FrameCodec codec;
    private final HttpSettings settings;

    ConnectionWindow(Http2FrameCodec codec, HttpSettings settings) {
      this.codec = codec;
      this.settings = settings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
      if (ctx.channel().isActive()) {
        widen(ctx);
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      ctx.fireChannelActive();
      widen(ctx);
    }

    private void widen(ChannelHandlerContext ctx) throws Exception {
      int delta = settings.http2InitialConnectionWindow() - HTTP2_DEFAULT_WINDOW;
      if (delta > 0) {
        var connection = codec.connection();
        connection
            .local()
            .flowController()
            .incrementWindowSize(connection.connectionStream(), delta);
        ctx.flush();
      }
      ctx.pipeline().remove(this);
    }
  }

  /**
   * The end of an HTTP/2 connection's pipeline: a reset or I/O error closes the connection, and so
   * does the client's FIN (half-closure is allowed on the listener's sockets for tcp_proxy; an
   * HTTP/2 client that stops sending can receive no more than GOAWAY, so its streams end here). A
   * connection error of the protocol is left to the codec, which sends GOAWAY with its code ({@link
   * Http2ConnectionErrors}).
   */
  private static final class CloseOnError extends ChannelInboundHandlerAdapter {
    private final Http2FrameCodec codec;

    CloseOnError(Http2FrameCodec codec) {
      this.codec = codec;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Http2ConnectionErrors.close(ctx, cause, codec);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
        ctx.close();
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }
  }

  /** Initializer for a channel whose only filter is this connection manager (tests). */
  public ChannelInitializer<Channel> initializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        install(ch.pipeline());
      }
    };
  }
}
