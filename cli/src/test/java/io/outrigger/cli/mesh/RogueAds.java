package io.outrigger.cli.mesh;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A caller of a control plane's ADS port that is not a sidecar: it asks once for the workload
 * certificate and says how the stream ended.
 */
final class RogueAds {
  private RogueAds() {}

  /**
   * Opens ADS as {@code nodeId}/{@code cluster} and asks for the Secret {@code default}.
   *
   * @param ca the CA to verify the control plane with; null for a plaintext caller
   * @param token the bearer token to present; null for none
   * @return the gRPC status code that ended the stream, or "SERVED" when a response came
   */
  static String ask(
      int port,
      X509Certificate ca,
      String token,
      String nodeId,
      String cluster,
      Map<String, String> metadata)
      throws Exception {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", port);
    if (ca != null) {
      b.sslContext(GrpcSslContexts.forClient().trustManager(ca).build());
    } else {
      b.usePlaintext();
    }
    if (token != null) {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      b.intercept(MetadataUtils.newAttachHeadersInterceptor(md));
    }
    ManagedChannel channel = b.build();
    try {
      CompletableFuture<String> outcome = new CompletableFuture<>();
      StreamObserver<DiscoveryRequest> requests =
          AggregatedDiscoveryServiceGrpc.newStub(channel)
              .streamAggregatedResources(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                      outcome.complete("SERVED");
                    }

                    @Override
                    public void onError(Throwable t) {
                      outcome.complete(Status.fromThrowable(t).getCode().name());
                    }

                    @Override
                    public void onCompleted() {
                      outcome.complete("COMPLETED");
                    }
                  });
      Struct.Builder md = Struct.newBuilder();
      metadata.forEach((k, v) -> md.putFields(k, Value.newBuilder().setStringValue(v).build()));
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(Node.newBuilder().setId(nodeId).setCluster(cluster).setMetadata(md))
              .setTypeUrl("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret")
              .addResourceNames("default")
              .build());
      return outcome.get(10, TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
