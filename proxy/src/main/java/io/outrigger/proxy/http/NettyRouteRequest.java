package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.proxy.http.route.RouteRequest;
import java.util.List;

/** A Netty request seen through the route table's eyes. */
final class NettyRouteRequest implements RouteRequest {
  private final HttpRequest request;
  private final String scheme;
  private final String remoteAddress;

  NettyRouteRequest(HttpRequest request, String scheme, String remoteAddress) {
    this.request = request;
    this.scheme = scheme;
    this.remoteAddress = remoteAddress;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public String authority() {
    String host = request.headers().get(HttpHeaderNames.HOST);
    return host == null ? "" : host;
  }

  @Override
  public String path() {
    return request.uri();
  }

  @Override
  public String header(String lowerCaseName) {
    return request.headers().get(lowerCaseName);
  }

  @Override
  public List<String> headers(String lowerCaseName) {
    return request.headers().getAll(lowerCaseName);
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }
}
