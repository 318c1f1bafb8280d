package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.outrigger.api.model.http.ForwardClientCertConfig;
import io.outrigger.proxy.tls.PeerIdentity;

/**
 * Writes {@code x-forwarded-client-cert} as Envoy does ({@code forward_client_cert_details}): an
 * element {@code By=<this proxy's URI SAN>;Hash=<sha256>;Subject="<dn>";URI=<peer URI SAN>} per
 * mTLS hop, elements separated by commas.
 */
final class ClientCertHeader {
  static final AsciiString XFCC = AsciiString.cached("x-forwarded-client-cert");

  private ClientCertHeader() {}

  /**
   * @param peer the verified client certificate's identity, or {@code null} when the connection is
   *     not mTLS
   */
  static void apply(HttpHeaders h, ForwardClientCertConfig config, PeerIdentity peer) {
    switch (config.mode()) {
      case SANITIZE -> h.remove(XFCC);
      case ALWAYS_FORWARD_ONLY -> {}
      case FORWARD_ONLY -> {
        if (peer == null) {
          h.remove(XFCC);
        }
      }
      case APPEND_FORWARD -> {
        if (peer == null) {
          h.remove(XFCC);
        } else {
          String prior = h.get(XFCC);
          String mine = element(config, peer);
          h.set(XFCC, prior == null || prior.isBlank() ? mine : prior + "," + mine);
        }
      }
      case SANITIZE_SET -> {
        if (peer == null) {
          h.remove(XFCC);
        } else {
          h.set(XFCC, element(config, peer));
        }
      }
    }
  }

  /** This hop's element, keys in Envoy's order. */
  static String element(ForwardClientCertConfig config, PeerIdentity peer) {
    StringBuilder sb = new StringBuilder();
    if (peer.localUriSan() != null) {
      sb.append("By=").append(peer.localUriSan()).append(';');
    }
    sb.append("Hash=").append(peer.hash());
    if (config.subject()) {
      sb.append(";Subject=\"").append(peer.subject().replace("\"", "\\\"")).append('"');
    }
    if (config.uri() && peer.uriSan() != null) {
      sb.append(";URI=").append(peer.uriSan());
    }
    return sb.toString();
  }
}
