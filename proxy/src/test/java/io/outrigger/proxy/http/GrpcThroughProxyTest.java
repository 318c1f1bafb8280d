package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.outrigger.proxy.testkit.GrpcStrings;
import io.outrigger.proxy.testkit.HttpProxyFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real grpc-java client and server talking through the proxy: h2c downstream, HTTP/2 upstream,
 * unary and bidirectional streaming, with the status carried in trailers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcThroughProxyTest {
  private static final MethodDescriptor<String, String> UNARY = GrpcStrings.unary("test.Echo/Say");

  private static final MethodDescriptor<String, String> BIDI =
      GrpcStrings.method(MethodDescriptor.MethodType.BIDI_STREAMING, "test.Echo/Chat");

  private Server server;
  private HttpProxyFixture proxy;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("test.Echo")
            .addMethod(
                UNARY,
                ServerCalls.asyncUnaryCall(
                    (String req, StreamObserver<String> out) -> {
                      if (req.equals("fail")) {
                        out.onError(
                            Status.FAILED_PRECONDITION.withDescription("asked to").asException());
                        return;
                      }
                      out.onNext("hello " + req);
                      out.onCompleted();
                    }))
            .addMethod(
                BIDI,
                ServerCalls.asyncBidiStreamingCall(
                    (StreamObserver<String> out) ->
                        new StreamObserver<String>() {
                          @Override
                          public void onNext(String value) {
                            out.onNext("echo " + value);
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            out.onCompleted();
                          }
                        }))
            .build();
    server = ServerBuilder.forPort(0).addService(service).build().start();
    RouteResolver all = HttpProxyFixture.forwardAll("grpc", Duration.ofSeconds(15), false);
    proxy =
        new HttpProxyFixture(
            HttpSettings.defaults("ingress"), all, Map.of("grpc", List.of(server.getPort())), true);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    proxy.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void unaryCallsPassAndErrorsKeepTheirStatus() {
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "proxy"))
        .isEqualTo("hello proxy");
    try {
      ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "fail");
      throw new AssertionError("expected a failure");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).isEqualTo("asked to");
    }
  }

  @Test
  void bidirectionalStreamingInterleaves() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch first = new CountDownLatch(1);
    StreamObserver<String> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(BIDI, CallOptions.DEFAULT),
            new StreamObserver<String>() {
              @Override
              public void onNext(String value) {
                received.add(value);
                first.countDown();
              }

              @Override
              public void onError(Throwable t) {
                received.add("error: " + t);
                done.countDown();
              }

              @Override
              public void onCompleted() {
                done.countDown();
              }
            });
    requests.onNext("one");
    // The answer to the first message arrives while the request stream is still open.
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    requests.onNext("two");
    requests.onNext("three");
    requests.onCompleted();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(received).containsExactly("echo one", "echo two", "echo three");
  }
}
