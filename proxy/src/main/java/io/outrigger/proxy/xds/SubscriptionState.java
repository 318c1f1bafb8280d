package io.outrigger.proxy.xds;

import static java.util.Objects.requireNonNull;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of the world of one resource type on the discovery stream: what is wanted, the last
 * accepted version (kept across streams and sent again on reconnect, so an unchanged control plane
 * need not resend) and the last nonce (per stream).
 *
 * <p>Not thread-safe: used on the discovery client's thread only.
 */
final class SubscriptionState {
  private final XdsResourceType type;
  private final boolean subscribed;
  private Set<String> names = Set.of();
  private String version = "";
  private String nonce = "";

  /**
   * @param subscribed for a wildcard type, whether the bootstrap asks for it ({@code cds_config},
   *     {@code lds_config}); ignored for the others, which are subscribed while names are wanted
   */
  SubscriptionState(XdsResourceType type, boolean subscribed) {
    this.type = requireNonNull(type, "type");
    this.subscribed = type.wildcard() && subscribed;
  }

  XdsResourceType type() {
    return type;
  }

  /** Whether a request for this type belongs on the stream. */
  boolean interested() {
    return type.wildcard() ? subscribed : !names.isEmpty();
  }

  /**
   * Replaces the wanted names of a non-wildcard type.
   *
   * @return whether the set changed
   */
  boolean want(Set<String> newNames) {
    if (names.equals(newNames)) {
      return false;
    }
    names = Set.copyOf(newNames);
    return true;
  }

  /** A new stream: nonces belong to the stream that sent them. */
  void newStream() {
    nonce = "";
  }

  void received(String responseNonce) {
    nonce = responseNonce;
  }

  void accepted(String newVersion) {
    version = newVersion;
  }

  String version() {
    return version;
  }

  /**
   * The request that states this type's subscription: an ACK (or a first request) when {@code
   * error} is empty, else a NACK carrying it with the last accepted version.
   */
  DiscoveryRequest request(Node node, Optional<String> error) {
    DiscoveryRequest.Builder b =
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(type.typeUrl())
            .setVersionInfo(version)
            .setResponseNonce(nonce)
            .addAllResourceNames(new TreeSet<>(names));
    error.ifPresent(
        message ->
            b.setErrorDetail(
                Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message)));
    return b.build();
  }
}
