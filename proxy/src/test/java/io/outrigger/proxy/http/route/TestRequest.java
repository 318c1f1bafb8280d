package io.outrigger.proxy.http.route;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** A {@link RouteRequest} over Netty headers; each test sets what it is about. */
final class TestRequest implements RouteRequest {
  private String method = "GET";
  private String scheme = "http";
  private String authority = "example.com";
  private String path = "/";
  private String remoteAddress = "10.0.0.1";
  private final HttpHeaders headers = new DefaultHttpHeaders();

  static TestRequest get(String authority, String path) {
    TestRequest r = new TestRequest();
    r.authority = authority;
    r.path = path;
    return r;
  }

  TestRequest header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  TestRequest scheme(String value) {
    scheme = value;
    return this;
  }

  TestRequest remote(String ip) {
    remoteAddress = ip;
    return this;
  }

  TestRequest method(String value) {
    method = value;
    return this;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  @Override
  public List<String> headers(String lowerCaseName) {
    return headers.getAll(lowerCaseName);
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }
}
