package io.outrigger.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches admin requests to their routes; answers 404, 405 and 400 itself. */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  private final Map<String, AdminRoute> routes;

  AdminHandler(Map<String, AdminRoute> routes) {
    this.routes = Map.copyOf(routes);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      send(ctx, req, AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    AdminRoute route = routes.get(uri.path());
    AdminResponse response;
    if (route == null) {
      response =
          AdminResponse.text(
              HttpResponseStatus.NOT_FOUND, "no admin endpoint " + uri.path() + "; see /\n");
    } else if (!route.methods().contains(req.method())) {
      response = methodNotAllowed(route, req.method());
    } else {
      response = invoke(route, new AdminRequest(req.method(), uri.path(), uri.parameters()));
    }
    send(ctx, req, response, HttpUtil.isKeepAlive(req));
  }

  private static AdminResponse invoke(AdminRoute route, AdminRequest request) {
    try {
      return route.endpoint().handle(request);
    } catch (RuntimeException e) {
      log.warn("admin {} failed", route.path(), e);
      return AdminResponse.text(
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "admin " + route.path() + " failed: " + e + "\n");
    }
  }

  private static AdminResponse methodNotAllowed(AdminRoute route, HttpMethod method) {
    String allowed =
        route.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
    return AdminResponse.text(
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        route.path() + " takes " + allowed + ", not " + method + "\n");
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpRequest req, AdminResponse r, boolean keepAlive) {
    ByteBuf body = Unpooled.copiedBuffer(r.body(), StandardCharsets.UTF_8);
    FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), r.status(), body);
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, max-age=0")
        .set("x-content-type-options", "nosniff");
    if (r.status() == HttpResponseStatus.METHOD_NOT_ALLOWED) {
      res.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
    }
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ChannelFuture f = ctx.writeAndFlush(res);
    f.addListener(x -> r.afterSend().run());
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("admin connection error: {}", cause.toString());
    ctx.close();
  }
}
