package io.outrigger.proxy.xds;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * Tells which control plane endpoint answered a call: when its response headers arrive, the
 * transport's remote address goes to the consumer (on gRPC's thread; the consumer hands it on).
 */
final class RemoteAddressRecorder implements ClientInterceptor {
  private final Consumer<SocketAddress> answeredBy;

  RemoteAddressRecorder(Consumer<SocketAddress> answeredBy) {
    this.answeredBy = answeredBy;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        ClientCall<Q, R> call = this;
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata responseHeaders) {
                SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                if (remote != null) {
                  answeredBy.accept(remote);
                }
                super.onHeaders(responseHeaders);
              }
            },
            headers);
      }
    };
  }
}
