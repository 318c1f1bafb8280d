package io.outrigger.controlplane.xds;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A scripted ADS client on loopback: it sends what the test says and keeps every response. */
final class AdsClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final StreamObserver<DiscoveryRequest> requests;
  private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final Node node;

  private final CompletableFuture<Throwable> error = new CompletableFuture<>();

  AdsClient(InetSocketAddress server, String nodeId, String nodeCluster) {
    this(
        NettyChannelBuilder.forAddress(server).usePlaintext().build(),
        Node.newBuilder().setId(nodeId).setCluster(nodeCluster).build());
  }

  /** Over {@code channel} (TLS, metadata: the test's), as {@code node}. */
  AdsClient(ManagedChannel channel, Node node) {
    this.channel = channel;
    this.node = node;
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse value) {
                    responses.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    error.complete(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
  }

  /** A first request (no version, no nonce) for {@code typeUrl}. */
  void subscribe(String typeUrl, String... names) {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(typeUrl)
            .addAllResourceNames(List.of(names))
            .build());
  }

  /** Completes with the error that ended the stream. */
  CompletableFuture<Throwable> error() {
    return error;
  }

  /** The next response, waiting up to 5 s; fails when none comes. */
  DiscoveryResponse next() throws InterruptedException {
    DiscoveryResponse r = responses.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no discovery response within 5 s");
    }
    return r;
  }

  /** The next response, or null when none comes within {@code millis}. */
  DiscoveryResponse poll(long millis) throws InterruptedException {
    return responses.poll(millis, TimeUnit.MILLISECONDS);
  }

  void ack(DiscoveryResponse r, String... names) {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(r.getTypeUrl())
            .setVersionInfo(r.getVersionInfo())
            .setResponseNonce(r.getNonce())
            .addAllResourceNames(List.of(names))
            .build());
  }

  void nack(DiscoveryResponse r, String previousVersion, String error, String... names) {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(r.getTypeUrl())
            .setVersionInfo(previousVersion)
            .setResponseNonce(r.getNonce())
            .addAllResourceNames(List.of(names))
            .setErrorDetail(Status.newBuilder().setCode(3).setMessage(error))
            .build());
  }

  @Override
  public void close() throws InterruptedException {
    requests.onCompleted();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
