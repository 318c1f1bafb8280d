package io.outrigger.filters.http.rbac;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.common.rbac.RbacDecision;
import io.outrigger.filters.common.rbac.RbacDenialLog;
import io.outrigger.filters.common.rbac.RbacRequest;
import io.outrigger.filters.common.rbac.RbacStats;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterCallbacks;
import io.outrigger.filters.http.StreamInfo;
import io.outrigger.filters.http.headers.RequestHeaderValues;
import io.outrigger.filters.http.rbac.RbacFilterFactory.RbacEngines;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetSocketAddress;

/**
 * The RBAC filter for one stream, as Envoy's {@code rbac_filter.cc}: on the request headers the
 * shadow rules are evaluated and counted, then the enforced rules decide. A denial is a 403 local
 * reply {@code RBAC: access denied} whose response code details, {@code
 * rbac_access_denied_matched_policy[<policy or none>]}, reach the access log.
 */
final class RbacFilter implements HttpFilter {
  static final String DENIED_BODY = "RBAC: access denied";
  static final String DENIED_DETAILS_PREFIX = "rbac_access_denied_matched_policy[";

  private final String name;
  private final RbacEngines filterEngines;
  private final RbacStats stats;
  private final RbacDenialLog denials;

  RbacFilter(String name, RbacEngines engines, RbacStats stats, RbacDenialLog denials) {
    this.name = name;
    this.filterEngines = engines;
    this.stats = stats;
    this.denials = denials;
  }

  @Override
  public FilterStatus onRequestHeaders(
      HttpRequest request, boolean endOfStream, HttpFilterCallbacks callbacks) {
    RbacEngines engines = callbacks.perRouteConfig(name, RbacEngines.class).orElse(filterEngines);
    if (engines.enforced() == null && engines.shadow() == null) {
      return FilterStatus.CONTINUE;
    }
    StreamRequest attributes = new StreamRequest(callbacks.streamInfo(), request);
    if (engines.shadow() != null) {
      stats.shadow(engines.shadow().evaluate(attributes));
    }
    if (engines.enforced() == null) {
      return FilterStatus.CONTINUE;
    }
    RbacDecision decision = engines.enforced().evaluate(attributes);
    stats.enforced(decision);
    if (decision.allowed()) {
      return FilterStatus.CONTINUE;
    }
    PeerCertificate peer = attributes.peerCertificate();
    denials.denied(
        peer == null ? "-" : peer.principal(),
        decision,
        attributes.remoteAddress(),
        // Without the query, which may carry secrets.
        request.method() + " " + RequestHeaderValues.pathWithoutQuery(request));
    callbacks.sendLocalReply(
        403, DENIED_BODY, DENIED_DETAILS_PREFIX + decision.policyOrNone() + "]", null);
    return FilterStatus.STOP_ITERATION;
  }

  /** The stream's attributes, read lazily from its {@link StreamInfo}. */
  private record StreamRequest(StreamInfo info, HttpRequest request) implements RbacRequest {
    @Override
    public InetSocketAddress remoteAddress() {
      return info.downstreamRemoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
      return info.downstreamLocalAddress();
    }

    @Override
    public String requestedServerName() {
      String sni = info.requestedServerName();
      return sni == null ? "" : sni;
    }

    @Override
    public PeerCertificate peerCertificate() {
      return info.downstreamPeerCertificate();
    }
  }
}
