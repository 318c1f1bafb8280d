package io.outrigger.cli.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.certs.MeshCa;
import io.outrigger.certs.SpiffeId;
import io.outrigger.cli.netns.HalfCloseServer;
import io.outrigger.cli.netns.HeaderEchoServer;
import io.outrigger.cli.netns.Netns;
import io.outrigger.cli.netns.NetnsKit;
import io.outrigger.cli.netns.TagServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workloads that know nothing of a mesh, each in a network namespace of its own with {@code
 * outrigger iptables} and a sidecar beside it, as an init container and a sidecar container would
 * set them up in a pod. The client dials the server's plain address; the traffic crosses both
 * sidecars over mTLS: HTTP (the server sees the client sidecar's identity), a raw TCP protocol
 * whose server speaks first, and one whose client half-closes before a large answer; a port no
 * chain names leaves through {@code PassthroughCluster}.
 *
 * <p>The sidecars run the default transport. To compare or debug: {@code
 * -Dintercept.transport=epoll}, {@code -Dintercept.log=debug}, and {@code -Dintercept.logs=DIR}
 * keeps each test's sidecar configs, certificates, logs and final {@code /stats} in {@code DIR}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InterceptedPairIT {
  private static final String CLIENT_IP = "10.91.0.1";
  private static final String SERVER_IP = "10.91.0.2";
  private static final int HTTP_PORT = 8080;
  private static final int TCP_PORT = 7000;
  private static final int BULK_PORT = 7001;
  private static final int UNKNOWN_PORT = 9000;
  private static final int PROXY_GID = 1337;
  private static final String TRUST_DOMAIN = "pair.test";

  @TempDir Path tmp;
  private NetnsKit kit;
  private Netns client;
  private Netns server;
  private Path logs;
  private final List<Process> sidecars = new ArrayList<>();

  @BeforeEach
  void pair(TestInfo test) throws Exception {
    logs =
        Path.of(System.getProperty("intercept.logs", tmp.toString()))
            .resolve(test.getTestMethod().orElseThrow().getName());
    Files.createDirectories(logs);
    assumeThat(NetnsKit.available()).as("root, ip, iptables and setpriv").isTrue();
    kit = NetnsKit.create();
    client = kit.namespace("cli");
    server = kit.namespace("srv");
    kit.link(client, List.of(CLIENT_IP + "/24"), server, List.of(SERVER_IP + "/24"));
    MeshCa ca =
        MeshCa.create(TRUST_DOMAIN, Duration.ofDays(1), Clock.systemUTC(), new SecureRandom());
    ca.write(logs.resolve("ca"));
    for (String name : List.of("client", "server")) {
      ca.issue(SpiffeId.parse("spiffe://" + TRUST_DOMAIN + "/sa/" + name), Duration.ofHours(1))
          .write(logs.resolve(name));
    }
    server.start(HeaderEchoServer.command(HTTP_PORT), "ready");
    server.start(TagServer.command("raw=0.0.0.0:" + TCP_PORT), "ready");
    server.start(HalfCloseServer.command(BULK_PORT), "ready");
    server.start(TagServer.command("unknown=0.0.0.0:" + UNKNOWN_PORT), "ready");
    intercept(client, List.of());
    intercept(server, List.of("--exclude-inbound-ports", Integer.toString(UNKNOWN_PORT)));
    sidecar(client, "client", clientBootstrap());
    sidecar(server, "server", serverBootstrap());
  }

  @AfterEach
  void close() throws Exception {
    if (client != null && System.getProperty("intercept.logs") != null) {
      for (Netns ns : List.of(client, server)) {
        Files.writeString(
            logs.resolve(ns.name() + "-stats.txt"),
            ns.exec("curl", "-sS", "http://127.0.0.1:15000/stats").out());
      }
    }
    for (Process p : sidecars) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void httpCrossesBothSidecarsOverMtlsWithTheClientsIdentity() {
    // curl dials the server's own address; both sidecars carry it.
    String echoed =
        client
            .exec("curl", "-sS", "--max-time", "10", "http://" + SERVER_IP + ":" + HTTP_PORT + "/")
            .check()
            .out();
    assertThat(echoed)
        .contains("x-forwarded-client-cert: ")
        .contains("URI=spiffe://" + TRUST_DOMAIN + "/sa/client");
    assertThat(stat(client, "cluster.server_http.ssl.handshake")).isPositive();
    assertThat(stat(client, "http.outbound_server.downstream_rq_total")).isPositive();
    assertThat(stat(server, "http.inbound_http.downstream_rq_total")).isPositive();
  }

  @Test
  void serverFirstTcpProtocolCrossesBothSidecars() {
    // The tag server speaks first and closes; the client sends nothing at all.
    assertThat(client.dial(SERVER_IP, TCP_PORT)).isEqualTo("raw");
    assertThat(stat(client, "cluster.server_tcp.upstream_cx_total")).isPositive();
    assertThat(stat(client, "cluster.server_tcp.ssl.handshake")).isPositive();
    assertThat(stat(server, "cluster.local_tcp.upstream_cx_total")).isPositive();
  }

  @Test
  void halfClosingClientReadsAWholeLargeAnswerThroughBothSidecars() {
    // The client sends its request and shuts its output; the answer (many socket buffers) comes
    // after that FIN crossed both sidecars, so both keep writing towards a half-closed peer.
    long size = 8L << 20;
    for (int i = 0; i < 3; i++) {
      assertThat(
              client.exec(HalfCloseServer.client(SERVER_IP, BULK_PORT, size), null).check().out())
          .isEqualTo(size + " ok\n");
    }
    assertThat(stat(client, "cluster.server_bulk.upstream_cx_total")).isEqualTo(3);
  }

  @Test
  void portNoChainNamesLeavesThroughThePassthroughCluster() {
    assertThat(client.dial(SERVER_IP, UNKNOWN_PORT)).isEqualTo("unknown");
    assertThat(stat(client, "cluster.PassthroughCluster.upstream_cx_total")).isPositive();
  }

  private static void intercept(Netns ns, List<String> more) {
    List<String> args = new ArrayList<>(List.of("--proxy-gid", Integer.toString(PROXY_GID)));
    args.addAll(more);
    OutriggerIptables.run(ns, args.toArray(String[]::new)).check();
  }

  /** The sidecar in {@code ns} as group 1337, which the rules let out, ready on its admin port. */
  private void sidecar(Netns ns, String name, String bootstrap) throws Exception {
    Path config = logs.resolve(name + "-sidecar.yaml");
    Files.writeString(config, bootstrap);
    Path log = logs.resolve(name + "-sidecar.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns.name(),
                "setpriv",
                "--regid=" + PROXY_GID,
                "--clear-groups",
                OutriggerIptables.HOME.resolve("bin/outrigger").toString(),
                "proxy",
                "--config",
                config.toString(),
                "--concurrency",
                "1",
                "--log-level",
                System.getProperty("intercept.log", "info"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The default transport (NIO), as a sidecar runs; -Dintercept.transport=epoll to compare.
    pb.environment()
        .put(
            "JAVA_OPTS",
            "-Xmx128m -Doutrigger.transport=" + System.getProperty("intercept.transport", "nio"));
    Process p = pb.start();
    sidecars.add(p);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
              return ns.exec("curl", "-sf", "http://127.0.0.1:15000/ready").exit() == 0;
            });
  }

  /** A counter or gauge from the sidecar's {@code /stats}, by its dotted name; 0 when absent. */
  private static double stat(Netns ns, String name) {
    return ns.exec(
            "curl", "-sS", "http://127.0.0.1:15000/stats?filter=^" + name.replace(".", "\\.") + "$")
        .check()
        .out()
        .lines()
        .filter(l -> l.startsWith(name + ": "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 2).strip()))
        .sum();
  }

  private String tls(String side, String peer) {
    return """
              common_tls_context:
                tls_certificates:
                - certificate_chain: { filename: %1$s/cert.pem }
                  private_key: { filename: %1$s/key.pem }
                validation_context:
                  trusted_ca: { filename: %2$s/ca.pem }
                  match_typed_subject_alt_names:
                  - { san_type: URI, matcher: { exact: "spiffe://%3$s/sa/%4$s" } }"""
        .formatted(logs.resolve(side), logs.resolve("ca"), TRUST_DOMAIN, peer);
  }

  private String clientBootstrap() {
    return """
        node: { id: client, cluster: client }
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 15000 } }
        static_resources:
          listeners:
          - name: outbound
            address: { socket_address: { address: 0.0.0.0, port_value: 15001 } }
            listener_filters:
            - name: envoy.filters.listener.original_dst
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst
            filter_chains:
            - name: to_server_http
              filter_chain_match:
                destination_port: %1$d
                prefix_ranges: [{ address_prefix: %3$s, prefix_len: 32 }]
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: outbound_server
                  route_config:
                    virtual_hosts:
                    - name: server
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: server_http }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        %2$s
            - name: passthrough
              filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: passthrough
                  cluster: PassthroughCluster
          clusters:
          - name: PassthroughCluster
            type: ORIGINAL_DST
            lb_policy: CLUSTER_PROVIDED
            connect_timeout: 1s
        %4$s
        %5$s
        %6$s
        """
        .formatted(
            HTTP_PORT,
            outboundTcpChain("tcp", TCP_PORT).indent(4).stripTrailing(),
            SERVER_IP,
            mtlsCluster("server_http", HTTP_PORT),
            mtlsCluster("server_tcp", TCP_PORT),
            mtlsCluster("server_bulk", BULK_PORT));
  }

  /** The client side's chain for a raw TCP port of the server: tcp_proxy to its mTLS cluster. */
  private static String outboundTcpChain(String name, int port) {
    return """
        - name: to_server_%1$s
          filter_chain_match:
            destination_port: %2$d
            prefix_ranges: [{ address_prefix: %3$s, prefix_len: 32 }]
          filters:
          - name: envoy.filters.network.tcp_proxy
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
              stat_prefix: outbound_server_%1$s
              cluster: server_%1$s"""
            .formatted(name, port, SERVER_IP)
        + "\n"
        + (name.equals("tcp") ? outboundTcpChain("bulk", BULK_PORT) : "");
  }

  private String mtlsCluster(String name, int port) {
    return """
          - name: %1$s
            connect_timeout: 1s
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                sni: server
        %4$s
            load_assignment:
              cluster_name: %1$s
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: %2$s, port_value: %3$d } } }"""
        .formatted(name, SERVER_IP, port, tls("client", "server").indent(8).stripTrailing());
  }

  private String serverBootstrap() {
    return """
        node: { id: server, cluster: server }
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 15000 } }
        static_resources:
          listeners:
          - name: inbound
            address: { socket_address: { address: 0.0.0.0, port_value: 15006 } }
            listener_filters:
            - name: envoy.filters.listener.original_dst
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst
            - name: envoy.filters.listener.tls_inspector
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector
            filter_chains:
            - name: inbound_http
              filter_chain_match: { destination_port: %1$d, transport_protocol: tls }
              transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  require_client_certificate: true
        %3$s
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: inbound_http
                  forward_client_cert_details: SANITIZE_SET
                  set_current_client_cert_details: { uri: true }
                  route_config:
                    virtual_hosts:
                    - name: local
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: local_http }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        %2$s
        %6$s
          clusters:
        %4$s
        %5$s
        %7$s
        """
        .formatted(
            HTTP_PORT,
            inboundTcpChain("tcp", TCP_PORT).indent(4).stripTrailing(),
            tls("server", "client").indent(10).stripTrailing(),
            localCluster("local_http", HTTP_PORT).indent(2).stripTrailing(),
            localCluster("local_tcp", TCP_PORT).indent(2).stripTrailing(),
            inboundTcpChain("bulk", BULK_PORT).indent(4).stripTrailing(),
            localCluster("local_bulk", BULK_PORT).indent(2).stripTrailing());
  }

  /** The server side's mTLS chain for a raw TCP port: tcp_proxy to the workload on loopback. */
  private String inboundTcpChain(String name, int port) {
    return """
        - name: inbound_%1$s
          filter_chain_match: { destination_port: %2$d, transport_protocol: tls }
          transport_socket:
            name: envoy.transport_sockets.tls
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
              require_client_certificate: true
        %3$s
          filters:
          - name: envoy.filters.network.tcp_proxy
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
              stat_prefix: inbound_%1$s
              cluster: local_%1$s"""
        .formatted(name, port, tls("server", "client").indent(6).stripTrailing());
  }

  private static String localCluster(String name, int port) {
    return """
          - name: %1$s
            connect_timeout: 1s
            load_assignment:
              cluster_name: %1$s
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %2$d } } }"""
        .formatted(name, port);
  }
}
