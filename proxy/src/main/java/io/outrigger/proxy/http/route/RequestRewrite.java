package io.outrigger.proxy.http.route;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Consumer;

/**
 * A route's rewrites of the request about to go upstream: its path and host rewrites, then its
 * request header mutations. One per route, made when the table is built: a lambda capturing the two
 * made per request was garbage on every forwarded request.
 */
public final class RequestRewrite implements Consumer<HttpRequest> {
  private final PathRewriter rewriter;
  private final HeaderMutator mutator;

  RequestRewrite(PathRewriter rewriter, HeaderMutator mutator) {
    this.rewriter = rewriter;
    this.mutator = mutator;
  }

  @Override
  public void accept(HttpRequest req) {
    req.setUri(rewriter.rewritePath(req.uri()));
    String authority = req.headers().get(HttpHeaderNames.HOST);
    String rewritten = rewriter.rewriteAuthority(authority == null ? "" : authority);
    if (rewritten != null && !rewritten.isEmpty() && !rewritten.equals(authority)) {
      req.headers().set(HttpHeaderNames.HOST, rewritten);
    }
    mutator.mutateRequest(req.headers());
  }
}
