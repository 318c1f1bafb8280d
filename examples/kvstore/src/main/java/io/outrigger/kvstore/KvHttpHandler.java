package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonParseException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client connection: routes each aggregated request to the {@link PublicApi}
 * or the {@link InternalApi} and writes the answer when its future completes (on whatever thread
 * completes it; Netty moves the write to the channel's event loop).
 *
 * <p>Requests on one connection are handled one at a time, so answers keep the order of pipelined
 * requests: auto-read is off, a {@code FlowControlHandler} before this one hands over one request
 * per {@code read()}, reading goes on while a request is still incomplete, and the next {@code
 * read()} is asked for once an answer is written. One instance per connection.
 */
final class KvHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(KvHttpHandler.class);

  private final String node;
  private final PublicApi publicApi;
  private final InternalApi internalApi;

  /** A request is being answered; event loop only. */
  private boolean busy;

  KvHttpHandler(String node, PublicApi publicApi, InternalApi internalApi) {
    this.node = requireNonNull(node, "node");
    this.publicApi = requireNonNull(publicApi, "publicApi");
    this.internalApi = requireNonNull(internalApi, "internalApi");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.read();
    super.channelActive(ctx);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!busy) {
      ctx.read(); // part of a request arrived: read the rest
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    busy = true;
    if (!request.decoderResult().isSuccess()) {
      write(ctx, Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed request", node), true);
      return;
    }
    CompletableFuture<Reply> reply;
    try {
      reply = route(request);
    } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
      reply = CompletableFuture.completedFuture(badRequest(e));
    }
    // HttpServerKeepAliveHandler closes the connection after the answer if the request asked so.
    reply.whenComplete((r, failure) -> write(ctx, r != null ? r : failed(failure), false));
  }

  private CompletableFuture<Reply> route(FullHttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.path(); // percent-decoded; a '+' in a path stays a '+'
    HttpMethod method = request.method();
    byte[] body = ByteBufUtil.getBytes(request.content());
    if (path.equals("/healthz")) {
      return publicApi.healthz(method);
    }
    if (path.equals("/kv")) {
      return publicApi.list(method, uri.parameters());
    }
    if (path.startsWith("/kv/")) {
      return publicApi.key(method, path.substring(4), uri.parameters(), body);
    }
    if (path.startsWith(InternalApi.PREFIX)) {
      return internalApi.handle(method, path, body);
    }
    return CompletableFuture.completedFuture(
        Reply.error(HttpResponseStatus.NOT_FOUND, "no such path: " + path, node));
  }

  private Reply badRequest(RuntimeException e) {
    return Reply.error(HttpResponseStatus.BAD_REQUEST, "bad request: " + e.getMessage(), node);
  }

  private Reply failed(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof IllegalArgumentException || cause instanceof JsonParseException) {
      return badRequest((RuntimeException) cause);
    }
    log.warn("request failed", cause);
    return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + cause, node);
  }

  /** Writes {@code reply}, then asks for the next request or, with {@code close}, closes. */
  private void write(ChannelHandlerContext ctx, Reply reply, boolean close) {
    FullHttpResponse response = response(reply, node);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response)
          .addListener(
              f -> {
                busy = false;
                ctx.read();
              });
    }
  }

  /** The HTTP form of {@code reply}: JSON, its length, its headers and the replica header. */
  static FullHttpResponse response(Reply reply, String node) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(Wire.bytes(reply.body())));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    for (Map.Entry<String, String> h : reply.headers().entrySet()) {
      response.headers().set(h.getKey(), h.getValue());
    }
    response.headers().set(PeerClient.REPLICA_HEADER, node);
    return response;
  }
}
