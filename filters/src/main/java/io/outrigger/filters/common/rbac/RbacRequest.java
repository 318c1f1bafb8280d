package io.outrigger.filters.common.rbac;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;

/**
 * What an RBAC engine reads of a connection or a request. Read on the event loop that owns it,
 * during one evaluation.
 */
public interface RbacRequest {
  /** The downstream socket's peer; {@code null} when unknown (never matches an IP range). */
  InetSocketAddress remoteAddress();

  /** The local address the downstream connected to; {@code null} when unknown. */
  InetSocketAddress localAddress();

  /** The TLS SNI; empty when none was sent or the connection is plaintext. */
  String requestedServerName();

  /** The verified client certificate; {@code null} when there is none. */
  PeerCertificate peerCertificate();

  /** The HTTP request; {@code null} for a connection (the network filter). */
  HttpRequest request();
}
