package io.outrigger.controlplane.xds;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;

/**
 * Carries a gRPC call's peer address into its {@link Context}, where {@link SyncTracker} reads it
 * when the stream opens (java-control-plane's callbacks get only a stream id).
 */
final class RemoteAddress implements ServerInterceptor {
  static final Context.Key<String> KEY = Context.key("outrigger-remote-address");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String address = remote == null ? "" : remote.toString().replaceFirst("^/", "");
    return Contexts.interceptCall(Context.current().withValue(KEY, address), call, headers, next);
  }

  /** The current call's peer, or empty outside a call. */
  static String current() {
    String address = KEY.get();
    return address == null ? "" : address;
  }
}
