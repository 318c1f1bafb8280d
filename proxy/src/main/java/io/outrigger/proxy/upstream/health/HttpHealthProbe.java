package io.outrigger.proxy.upstream.health;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.outrigger.api.model.HealthCheckConfig;
import io.outrigger.proxy.transport.Transport;
import io.outrigger.proxy.upstream.Host;
import io.outrigger.proxy.upstream.Scheduler;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code http_health_check}: an HTTP/1.1 request ({@code GET path} unless another method is set) on
 * a new connection, with {@code Host} and {@code user-agent: Envoy/HC} (Envoy's value, which
 * services may already recognise). The status decides once the whole answer is read: expected
 * passes, retriable is a failure that counts toward the threshold, anything else fails the host at
 * once. The body is discarded; the connection is closed after the answer.
 */
public final class HttpHealthProbe implements HealthProbe {
  /** The user agent Envoy's HTTP health checker sends. */
  public static final String USER_AGENT = "Envoy/HC";

  private final HealthCheckConfig.HttpCheck check;
  private final Function<Host, String> authority;
  private final EventLoop loop;
  private final Transport transport;
  private final Duration timeout;

  /**
   * @param authority the {@code Host} header for a host
   * @param loop the health checker's event loop
   * @param timeout the check's timeout, also the connect timeout
   */
  public HttpHealthProbe(
      HealthCheckConfig.HttpCheck check,
      Function<Host, String> authority,
      EventLoop loop,
      Transport transport,
      Duration timeout) {
    this.check = requireNonNull(check, "check");
    this.authority = requireNonNull(authority, "authority");
    this.loop = requireNonNull(loop, "loop");
    this.transport = requireNonNull(transport, "transport");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public Scheduler.Cancellable probe(Host host, Consumer<Result> done) {
    NettyProbes.Once once = new NettyProbes.Once(done);
    return NettyProbes.connect(
        loop,
        transport,
        timeout,
        host,
        () ->
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new ResponseHandler(once));
              }
            },
        ch -> ch.writeAndFlush(request(host)),
        once);
  }

  private FullHttpRequest request(Host host) {
    FullHttpRequest req =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.valueOf(check.method()), check.path());
    req.headers()
        .set(HttpHeaderNames.HOST, authority.apply(host))
        .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
    return req;
  }

  /** Reads the status, waits for the end of the answer, then reports and closes. */
  private final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final NettyProbes.Once once;
    private int status;

    ResponseHandler(NettyProbes.Once once) {
      this.once = once;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse response) {
        if (msg.decoderResult().isFailure()) {
          once.complete(Result.NETWORK_FAIL);
          ctx.close();
          return;
        }
        status = response.status().code();
      }
      if (msg instanceof LastHttpContent && status != 0) {
        once.complete(classify(status));
        ctx.close();
      }
    }

    private Result classify(int code) {
      if (check.expected(code)) {
        return Result.PASS;
      }
      return check.retriable(code) ? Result.RETRIABLE_FAIL : Result.FAIL;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      once.complete(Result.NETWORK_FAIL);
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      once.complete(Result.NETWORK_FAIL);
      ctx.close();
    }
  }
}
