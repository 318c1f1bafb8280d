package io.outrigger.controlplane.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.outrigger.controlplane.auth.AuthRefusals;
import io.outrigger.controlplane.auth.Bearer;
import io.outrigger.controlplane.auth.Grant;
import io.outrigger.controlplane.auth.Tokens;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a discovery call through only with a node token: {@code authorization: Bearer TOKEN} in its
 * metadata (Envoy's {@code grpc_service.initial_metadata}) that the token file grants as a {@link
 * Grant.NodeGrant}. Without one the call is closed at once with UNAUTHENTICATED. Every request of
 * an admitted call must carry a {@code node} whose {@code cluster} and identity ({@link
 * WorkloadIdentity#of}) are the grant's; the first that does not closes the call with
 * PERMISSION_DENIED before java-control-plane sees it, so such a caller is served nothing. The
 * grant rides in the call's {@link Context} ({@link #GRANT}), where the secrets are issued from it.
 *
 * <p>An admitted call stays open while its token is granted: {@link #closeRevoked} closes the calls
 * of tokens removed from the file ({@link RevocableCall}).
 *
 * <p>Runs on gRPC's threads; each call's listener is called serially by gRPC.
 */
final class XdsAuthInterceptor implements ServerInterceptor {
  /** The node grant of the current call. */
  static final Context.Key<Grant.NodeGrant> GRANT = Context.key("outrigger-node-grant");

  private final Tokens tokens;
  private final AuthRefusals refusals;
  private final Set<RevocableCall<?, ?>> open = ConcurrentHashMap.newKeySet();

  XdsAuthInterceptor(Tokens tokens, AuthRefusals refusals) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.refusals = requireNonNull(refusals, "refusals");
  }

  /** The grant of the current call; empty outside a call or when no tokens are required. */
  static Optional<Grant.NodeGrant> current() {
    return Optional.ofNullable(GRANT.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String who = peer(call);
    Optional<String> token =
        Bearer.token(headers.get(Metadata.Key.of(Bearer.HEADER, Metadata.ASCII_STRING_MARSHALLER)));
    if (token.isEmpty()) {
      return refuse(call, Status.UNAUTHENTICATED, "missing_token", who, "no bearer token");
    }
    Optional<Grant> grant = tokens.lookup(token.get());
    if (grant.isEmpty()) {
      return refuse(call, Status.UNAUTHENTICATED, "unknown_token", who, "token not granted");
    }
    if (!(grant.get() instanceof Grant.NodeGrant node)) {
      return refuse(
          call, Status.PERMISSION_DENIED, "wrong_kind", who, "an API token is not a node token");
    }
    RevocableCall<Q, R> admitted = new RevocableCall<>(call, node.tokenHash());
    open.add(admitted);
    ServerCall.Listener<Q> listener =
        Contexts.interceptCall(Context.current().withValue(GRANT, node), admitted, headers, next);
    return new NodeCheck<>(listener, admitted, node, who);
  }

  /**
   * Closes, with UNAUTHENTICATED, every open call whose token the token file no longer grants.
   * Called on the control plane's timer after the file changed.
   *
   * @return how many calls were closed
   */
  int closeRevoked() {
    int n = 0;
    for (RevocableCall<?, ?> c : open) {
      if (!tokens.granted(c.tokenHash())) {
        open.remove(c);
        c.revoke();
        refusals.refused("xds", "revoked", peer(c), "token revoked: open stream closed");
        n++;
      }
    }
    return n;
  }

  private <Q, R> ServerCall.Listener<Q> refuse(
      ServerCall<Q, R> call, Status status, String reason, String who, String detail) {
    refusals.refused("xds", reason, who, detail);
    call.close(status.withDescription(detail), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static String peer(ServerCall<?, ?> call) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return remote == null ? "?" : remote.toString().replaceFirst("^/", "");
  }

  /** Why {@code node} may not be served under {@code grant}; empty when it may. */
  static Optional<String> mismatch(Node node, Grant.NodeGrant grant) {
    if (!node.getCluster().equals(grant.cluster())) {
      return Optional.of(
          "node.cluster \""
              + node.getCluster()
              + "\" is not the token's \""
              + grant.cluster()
              + "\"");
    }
    Optional<WorkloadIdentity> claimed = WorkloadIdentity.of(node);
    if (!claimed.equals(Optional.of(grant.identity()))) {
      return Optional.of(
          "node "
              + node.getId()
              + " claims identity "
              + claimed.map(Object::toString).orElse("none")
              + ", the token grants "
              + grant.identity());
    }
    return Optional.empty();
  }

  /** Checks the node of every request; the first mismatch closes the call. */
  private final class NodeCheck<Q, R>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, R> call;
    private final Grant.NodeGrant grant;
    private final String who;
    private boolean closed;
    private boolean checked;

    NodeCheck(
        ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Grant.NodeGrant grant, String who) {
      super(delegate);
      this.call = call;
      this.grant = grant;
      this.who = who;
    }

    @Override
    public void onMessage(Q message) {
      if (closed) {
        return;
      }
      if (!(message instanceof DiscoveryRequest) && !(message instanceof DeltaDiscoveryRequest)) {
        // A CSR: it claims nothing, the certificate is for the grant's identity.
        super.onMessage(message);
        return;
      }
      Node node = nodeOf(message);
      if (node == null && checked && message instanceof DeltaDiscoveryRequest) {
        // Delta xDS names the node on the first request only.
        super.onMessage(message);
        return;
      }
      Optional<String> why =
          node == null ? Optional.of("a request without node") : mismatch(node, grant);
      if (why.isPresent()) {
        closed = true;
        refusals.refused("xds", "identity_mismatch", who, why.get());
        call.close(Status.PERMISSION_DENIED.withDescription(why.get()), new Metadata());
        return;
      }
      checked = true;
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!closed) {
        super.onHalfClose();
      }
    }

    @Override
    public void onComplete() {
      open.remove(call);
      super.onComplete();
    }

    @Override
    public void onCancel() {
      open.remove(call);
      super.onCancel();
    }
  }

  private static Node nodeOf(Object message) {
    if (message instanceof DiscoveryRequest r) {
      return r.hasNode() ? r.getNode() : null;
    }
    if (message instanceof DeltaDiscoveryRequest r) {
      return r.hasNode() ? r.getNode() : null;
    }
    return null;
  }
}
