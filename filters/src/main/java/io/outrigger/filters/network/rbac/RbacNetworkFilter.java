package io.outrigger.filters.network.rbac;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.common.rbac.RbacDecision;
import io.outrigger.filters.common.rbac.RbacDenialLog;
import io.outrigger.filters.common.rbac.RbacEngine;
import io.outrigger.filters.common.rbac.RbacRequest;
import io.outrigger.filters.common.rbac.RbacStats;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterCallbacks;
import io.outrigger.filters.network.NetworkFilterStatus;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;

/**
 * The network RBAC filter for one connection, as Envoy's {@code network/rbac/rbac_filter.cc}: the
 * shadow rules are evaluated and counted, then the enforced rules decide once; a denied connection
 * is closed before its terminal filter sees a byte. Called after the TLS handshake on a TLS chain,
 * at accept on a plaintext one.
 */
final class RbacNetworkFilter implements NetworkFilter {
  private final RbacEngine enforced;
  private final RbacEngine shadow;
  private final RbacStats stats;
  private final RbacDenialLog denials;

  RbacNetworkFilter(
      RbacEngine enforced, RbacEngine shadow, RbacStats stats, RbacDenialLog denials) {
    this.enforced = enforced;
    this.shadow = shadow;
    this.stats = stats;
    this.denials = denials;
  }

  @Override
  public NetworkFilterStatus onNewConnection(NetworkFilterCallbacks callbacks) {
    ConnectionRequest attributes = new ConnectionRequest(callbacks);
    if (shadow != null) {
      stats.shadow(shadow.evaluate(attributes));
    }
    if (enforced == null) {
      return NetworkFilterStatus.CONTINUE;
    }
    RbacDecision decision = enforced.evaluate(attributes);
    stats.enforced(decision);
    if (decision.allowed()) {
      return NetworkFilterStatus.CONTINUE;
    }
    PeerCertificate peer = callbacks.peerCertificate();
    denials.denied(
        peer == null ? "-" : peer.principal(), decision, callbacks.remoteAddress(), "connection");
    callbacks.close();
    return NetworkFilterStatus.STOP_ITERATION;
  }

  /** The connection's attributes; there is no request. */
  private record ConnectionRequest(NetworkFilterCallbacks callbacks) implements RbacRequest {
    @Override
    public InetSocketAddress remoteAddress() {
      return callbacks.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
      return callbacks.localAddress();
    }

    @Override
    public String requestedServerName() {
      String sni = callbacks.requestedServerName();
      return sni == null ? "" : sni;
    }

    @Override
    public PeerCertificate peerCertificate() {
      return callbacks.peerCertificate();
    }

    @Override
    public HttpRequest request() {
      return null;
    }
  }
}
