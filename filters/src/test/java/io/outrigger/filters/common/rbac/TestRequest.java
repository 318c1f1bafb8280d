package io.outrigger.filters.common.rbac;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;
import java.util.List;

/** An {@link RbacRequest} built field by field; each test changes what it is about. */
record TestRequest(
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    String requestedServerName,
    PeerCertificate peerCertificate,
    HttpRequest request)
    implements RbacRequest {

  static final PeerCertificate FRONTEND =
      new PeerCertificate(
          List.of("spiffe://outrigger.local/ns/default/sa/frontend"),
          List.of("frontend.default.svc"),
          "CN=frontend,O=outrigger.local");

  /** A GET /kv/a from 10.1.2.3 to 127.0.0.1:15006 by the frontend, with SNI kv.local. */
  static TestRequest get() {
    return new TestRequest(
        new InetSocketAddress("10.1.2.3", 40000),
        new InetSocketAddress("127.0.0.1", 15006),
        "kv.local",
        FRONTEND,
        http(HttpMethod.GET, "/kv/a?x=1"));
  }

  static HttpRequest http(HttpMethod method, String uri) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    r.headers().set("host", "kv:8080").add("x-team", "a").add("x-team", "b");
    return r;
  }

  TestRequest from(String ip) {
    return new TestRequest(
        new InetSocketAddress(ip, 40000),
        localAddress,
        requestedServerName,
        peerCertificate,
        request);
  }

  TestRequest to(String ip, int port) {
    return new TestRequest(
        remoteAddress,
        new InetSocketAddress(ip, port),
        requestedServerName,
        peerCertificate,
        request);
  }

  TestRequest withPeer(PeerCertificate peer) {
    return new TestRequest(remoteAddress, localAddress, requestedServerName, peer, request);
  }

  TestRequest withSni(String sni) {
    return new TestRequest(remoteAddress, localAddress, sni, peerCertificate, request);
  }

  TestRequest withRequest(HttpRequest r) {
    return new TestRequest(remoteAddress, localAddress, requestedServerName, peerCertificate, r);
  }
}
