package io.outrigger.controlplane.xds;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A call admitted under a token that can be closed from another thread when the token is revoked.
 * gRPC's {@link ServerCall} is not thread-safe, so every method that talks to the transport goes
 * through this object's lock: the application's sends (java-control-plane's watch threads) and
 * {@link #revoke} (the control plane's timer) never overlap, and whatever the application sends or
 * closes after a revocation is dropped. The lock is never held while calling the application.
 */
final class RevocableCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
  private final String tokenHash;
  private boolean closed;

  RevocableCall(ServerCall<Q, R> delegate, String tokenHash) {
    super(delegate);
    this.tokenHash = tokenHash;
  }

  /** The hash of the token the call was admitted with. */
  String tokenHash() {
    return tokenHash;
  }

  /** Closes the call with UNAUTHENTICATED unless it is closed already. */
  synchronized void revoke() {
    if (!closed) {
      closed = true;
      super.close(Status.UNAUTHENTICATED.withDescription("token revoked"), new Metadata());
    }
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!closed) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(R message) {
    if (!closed) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized void request(int numMessages) {
    if (!closed) {
      super.request(numMessages);
    }
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (!closed) {
      closed = true;
      super.close(status, trailers);
    }
  }
}
