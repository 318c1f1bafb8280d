package io.outrigger.proxy.xds;

import static io.outrigger.proxy.testkit.XdsProtos.ads;
import static io.outrigger.proxy.testkit.XdsProtos.listener;
import static io.outrigger.proxy.testkit.XdsProtos.staticCluster;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.outrigger.proxy.testkit.GrpcStrings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A partition that arrives over RDS cuts the streams already under way to the partitioned peer, and
 * only those: a streaming HTTP/1.1 response is reset or silenced, a request still waiting for its
 * answer is refused with 503, and on one HTTP/2 connection the stream to the cut peer is reset
 * while the stream to another peer goes on. The routes are pushed as a control plane would push
 * them (the fault rules as the virtual hosts' {@code typed_per_filter_config}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionCutsOpenStreamsTest {
  private static final String FILTER = "outrigger.filters.partition";
  private static final String RULES_TYPE =
      "type.googleapis.com/outrigger.filters.partition.v1.Partition";

  private static final MethodDescriptor<String, String> WATCH =
      GrpcStrings.method(MethodDescriptor.MethodType.SERVER_STREAMING, "test.Store/Watch");

  private final DynamicFixture fx = new DynamicFixture();
  private final AtomicInteger routeVersion = new AtomicInteger();
  private StreamingUpstream upstream;
  private Server grpc;
  private ManagedChannel channel;

  @AfterEach
  void close() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    fx.close();
    if (grpc != null) {
      grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aResetRuleResetsTheOpenStreamToThatPeerOnly() throws Exception {
    start(upstreamPort());
    try (Socket toN2 = watch("n2");
        Socket toN3 = watch("n3")) {
      pushRoutes(rule("n2", "reset"));

      assertThat(readUntilClosed(toN2)).as("n2's stream ends without its last chunk").isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closed("n2"));
      assertThat(stillOpen(toN3)).isTrue();
      assertThat(upstream.closed("n3")).isFalse();
      assertThat(counter("partition_requests", "action", "reset")).isEqualTo(1);
    }
  }

  @Test
  void aDropRuleSilencesTheOpenStreamAndCancelsItsUpstreamRequest() throws Exception {
    start(upstreamPort());
    Socket toN2 = watch("n2");
    pushRoutes(rule("n2", "drop"));

    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closed("n2"));
    assertThat(stillOpen(toN2)).as("held: no byte, no close").isTrue();
    assertThat(held()).isEqualTo(1);

    toN2.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> held() == 0);
  }

  @Test
  void aRefuseRuleAnswers503ToARequestStillWaitingForItsResponse() throws Exception {
    start(upstreamPort());
    try (Socket s = connect()) {
      send(s, "GET /hold HTTP/1.1\r\nHost: n2\r\nConnection: close\r\n\r\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.seen("n2"));

      pushRoutes(rule("n2", "refuse"));

      String answer = readAll(s);
      assertThat(answer).startsWith("HTTP/1.1 503");
      assertThat(answer).containsIgnoringCase("x-outrigger-partition: refuse");
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closed("n2"));
    }
  }

  @Test
  void aHealedRouteLeavesOpenStreamsAlone() throws Exception {
    start(upstreamPort());
    try (Socket toN2 = watch("n2")) {
      pushRoutes(rule("n3", "reset"));
      pushRoutes();

      assertThat(stillOpen(toN2)).isTrue();
      assertThat(upstream.closed("n2")).isFalse();
    }
  }

  @Test
  void onOneHttp2ConnectionOnlyTheStreamToTheCutPeerIsReset() throws Exception {
    Map<String, ServerCallStreamObserver<String>> watchers = new ConcurrentHashMap<>();
    List<String> cancelled = new CopyOnWriteArrayList<>();
    grpc =
        ServerBuilder.forPort(0)
            .addService(
                ServerServiceDefinition.builder("test.Store")
                    .addMethod(
                        WATCH,
                        ServerCalls.asyncServerStreamingCall(
                            (String peer, StreamObserver<String> out) -> {
                              var call = (ServerCallStreamObserver<String>) out;
                              call.setOnCancelHandler(() -> cancelled.add(peer));
                              watchers.put(peer, call);
                              out.onNext("hello " + peer);
                            }))
                    .build())
            .build()
            .start();
    start(grpc.getPort(), true);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", fx.port("outbound")).usePlaintext().build();
    Events n2 = new Events();
    Events n3 = new Events();
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(WATCH, CallOptions.DEFAULT.withAuthority("n2")), "n2", n2);
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(WATCH, CallOptions.DEFAULT.withAuthority("n3")), "n3", n3);
    await().atMost(Duration.ofSeconds(10)).until(() -> n2.got("hello n2") && n3.got("hello n3"));

    pushRoutes(rule("n2", "reset"));

    await().atMost(Duration.ofSeconds(5)).until(() -> n2.error != null);
    assertThat(n2.error.getCode()).isNotEqualTo(Status.Code.OK);
    await().atMost(Duration.ofSeconds(5)).until(() -> cancelled.contains("n2"));
    watchers.get("n3").onNext("still here");
    await().atMost(Duration.ofSeconds(5)).until(() -> n3.got("still here"));
    assertThat(n3.error).isNull();
    assertThat(cancelled).doesNotContain("n3");
  }

  /** What a client's server-streaming call heard. */
  private static final class Events implements StreamObserver<String> {
    final List<String> messages = new CopyOnWriteArrayList<>();
    volatile Status error;

    boolean got(String message) {
      return messages.contains(message);
    }

    @Override
    public void onNext(String value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {}
  }

  // ---- the sidecar, as a control plane configures it ----

  private int upstreamPort() throws IOException {
    upstream = new StreamingUpstream();
    return upstream.port();
  }

  private void start(int port) {
    start(port, false);
  }

  private void start(int port, boolean http2) {
    var cluster = staticCluster("peers", port);
    if (http2) {
      cluster.putTypedExtensionProtocolOptions(
          "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
          Any.pack(
              HttpProtocolOptions.newBuilder()
                  .setExplicitHttpConfig(
                      HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                          .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                  .build()));
    }
    assertThat(fx.push(XdsResourceType.CLUSTER, "c1", cluster.build())).isEmpty();
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("outbound")
            .setRds(Rds.newBuilder().setRouteConfigName("peers").setConfigSource(ads()))
            .addHttpFilters(
                HttpFilter.newBuilder().setName(FILTER).setTypedConfig(partition(List.of())))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    assertThat(fx.push(XdsResourceType.LISTENER, "l1", listener("outbound", 0, hcm))).isEmpty();
    pushRoutes();
    fx.config.initialized().orTimeout(5, TimeUnit.SECONDS).join();
  }

  /** The routes with these rules on their virtual host, as the control plane's fault rewrite. */
  private void pushRoutes(Value... rules) {
    VirtualHost.Builder host =
        VirtualHost.newBuilder()
            .setName("peers")
            .addDomains("*")
            .addRoutes(
                Route.newBuilder()
                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                    .setRoute(
                        RouteAction.newBuilder()
                            .setCluster("peers")
                            .setTimeout(com.google.protobuf.Duration.getDefaultInstance())));
    if (rules.length > 0) {
      host.putTypedPerFilterConfig(
          FILTER,
          Any.pack(
              FilterConfig.newBuilder()
                  .setIsOptional(true)
                  .setConfig(partition(List.of(rules)))
                  .build()));
    }
    RouteConfiguration routes =
        RouteConfiguration.newBuilder().setName("peers").addVirtualHosts(host).build();
    assertThat(fx.push(XdsResourceType.ROUTE, "r" + routeVersion.incrementAndGet(), routes))
        .isEmpty();
  }

  private static Any partition(List<Value> rules) {
    return Any.pack(
        TypedStruct.newBuilder()
            .setTypeUrl(RULES_TYPE)
            .setValue(
                Struct.newBuilder()
                    .putFields(
                        "rules",
                        Value.newBuilder()
                            .setListValue(ListValue.newBuilder().addAllValues(rules))
                            .build()))
            .build());
  }

  private static Value rule(String peer, String action) {
    return Value.newBuilder()
        .setStructValue(
            Struct.newBuilder()
                .putFields("peer", Value.newBuilder().setStringValue(peer).build())
                .putFields("action", Value.newBuilder().setStringValue(action).build()))
        .build();
  }

  private double counter(String name, String tag, String value) {
    var c = fx.stats.registry().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private double held() {
    var g = fx.stats.registry().find("partition_held_requests").gauge();
    return g == null ? 0 : g.value();
  }

  // ---- HTTP/1.1 on raw sockets ----

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", fx.port("outbound")), 5000);
    s.setSoTimeout(5000);
    return s;
  }

  /**
   * A streaming GET to {@code peer}, read to the end of its first chunk: the stream is under way.
   */
  private Socket watch(String peer) throws IOException {
    Socket s = connect();
    send(s, "GET /watch HTTP/1.1\r\nHost: " + peer + "\r\n\r\n");
    StringBuilder got = new StringBuilder();
    InputStream in = s.getInputStream();
    while (!got.toString().endsWith("first\n\r\n")) {
      int b = in.read();
      assertThat(b).as("the first chunk from " + peer).isNotEqualTo(-1);
      got.append((char) b);
    }
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(US_ASCII));
    s.getOutputStream().flush();
  }

  /** Reads until the sidecar closes the connection; false if it never does within 5 s. */
  private static boolean readUntilClosed(Socket s) throws IOException {
    try {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[1024];
      while (in.read(buf) >= 0) {
        // the rest of what was sent before the cut
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // a reset
    }
  }

  /** Whether nothing arrives and nothing closes for half a second. */
  private static boolean stillOpen(Socket s) throws IOException {
    s.setSoTimeout(500);
    try {
      return s.getInputStream().read() == -2; // any byte or EOF means the stream moved
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      s.setSoTimeout(5000);
    }
  }

  private static String readAll(Socket s) throws IOException {
    return new String(s.getInputStream().readAllBytes(), US_ASCII);
  }

  /**
   * An HTTP/1.1 upstream that answers {@code /watch} with a chunked response's headers and first
   * chunk and then waits, and {@code /hold} with nothing; it records, per {@code Host}, that the
   * request arrived and when the sidecar closed the upstream connection.
   */
  private static final class StreamingUpstream implements AutoCloseable {
    private final ServerSocket server =
        new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    private final Map<String, Boolean> closedByHost = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    StreamingUpstream() throws IOException {
      acceptor = new Thread(this::accept, "streaming-upstream");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    boolean seen(String host) {
      return closedByHost.containsKey(host);
    }

    boolean closed(String host) {
      return closedByHost.getOrDefault(host, false);
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          sockets.add(s);
          Thread t = new Thread(() -> serve(s), "streaming-upstream-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      String host = null;
      try (s) {
        InputStream in = s.getInputStream();
        String head = readHead(in);
        String path = head.split(" ", 3)[1];
        host =
            head.lines()
                .filter(l -> l.regionMatches(true, 0, "host:", 0, 5))
                .map(l -> l.substring(5).trim())
                .findFirst()
                .orElse("");
        closedByHost.put(host, false);
        if (path.equals("/watch")) {
          s.getOutputStream()
              .write(
                  "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n6\r\nfirst\n\r\n"
                      .getBytes(US_ASCII));
          s.getOutputStream().flush();
        }
        while (in.read() >= 0) {
          // waits for the sidecar to let go of the request
        }
      } catch (IOException e) {
        // a reset: let go as well
      } finally {
        if (host != null) {
          closedByHost.put(host, true);
        }
      }
    }

    private static String readHead(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      while (b.indexOf("\r\n\r\n") < 0) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("closed before the request's head");
        }
        b.append((char) c);
      }
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
