package io.outrigger.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outrigger.proxy.listener.filter.ClientHellos;
import io.outrigger.proxy.listener.filter.OriginalDestinationReader;
import io.outrigger.proxy.server.SidecarOptions;
import io.outrigger.proxy.stats.StatsFormat;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Transparent interception on real sockets: listener filters, filter-chain matching on the original
 * destination, the {@code use_original_dst} hand-off and the {@code ORIGINAL_DST} passthrough. The
 * original destination iptables would have kept comes from a stand-in reader, keyed by the client's
 * port; the namespace test in {@code cli} proves the real {@code SO_ORIGINAL_DST}.
 */
class InterceptionTest {
  private static final InetSocketAddress UNREADABLE = new InetSocketAddress("0.0.0.0", 1);
  private static final String ORIGINAL_DST =
      """
      - name: envoy.filters.listener.original_dst
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst
      """;

  private final Map<Integer, InetSocketAddress> redirected = new ConcurrentHashMap<>();

  /** The stand-in for SO_ORIGINAL_DST: the destination the test registered for the client port. */
  private final OriginalDestinationReader reader =
      ch -> {
        InetSocketAddress d =
            redirected.getOrDefault(
                ((InetSocketAddress) ch.remoteAddress()).getPort(),
                (InetSocketAddress) ch.localAddress());
        return d == UNREADABLE ? null : d;
      };

  private SidecarFixture start(String yaml, Map<String, String> vars) throws Exception {
    String filled = yaml;
    for (Map.Entry<String, String> e : vars.entrySet()) {
      filled = filled.replace("${" + e.getKey() + "}", e.getValue());
    }
    return SidecarFixture.start(
        filled,
        Map.of(),
        // The counters are read in the idiomatic Prometheus form (--stats-format idiomatic).
        new SidecarOptions(2, Duration.ofSeconds(1))
            .withOriginalDestinations(reader)
            .withStatsFormat(StatsFormat.IDIOMATIC));
  }

  /** A client connection to {@code proxy} that iptables would have sent from {@code original}. */
  private Socket connect(InetSocketAddress proxy, InetSocketAddress original) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    if (original != null) {
      redirected.put(s.getLocalPort(), original);
    }
    s.connect(proxy, 2000);
    s.setSoTimeout(5000);
    return s;
  }

  private static String exchange(Socket s, String send, int expect) throws IOException {
    s.getOutputStream().write(send.getBytes(StandardCharsets.ISO_8859_1));
    return read(s, expect);
  }

  private static String read(Socket s, int expect) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[expect];
    int n = 0;
    while (n < expect) {
      int r = in.read(buf, n, expect - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  private static String tcpProxy(String cluster) {
    return """
        - name: envoy.filters.network.tcp_proxy
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
            stat_prefix: %s
            cluster: %s
        """
        .formatted(cluster, cluster);
  }

  private static String cluster(String name, String port) {
    return """
        - name: %s
          connect_timeout: 1s
          load_assignment:
            cluster_name: %s
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: %s }
        """
        .formatted(name, name, port);
  }

  /** Clusters a, b and c at ports ${A}, ${B} and ${C}. */
  private static String threeClusters() {
    return indent(cluster("a", "${A}") + cluster("b", "${B}") + cluster("c", "${C}"), 2);
  }

  private static Map<String, String> ports(TcpUpstream a, TcpUpstream b, TcpUpstream c) {
    return Map.of(
        "A",
        String.valueOf(a.port()),
        "B",
        String.valueOf(b.port()),
        "C",
        String.valueOf(c.port()));
  }

  private static final String PASSTHROUGH =
      """
      - name: PassthroughCluster
        type: ORIGINAL_DST
        lb_policy: CLUSTER_PROVIDED
        connect_timeout: 1s
        cleanup_interval: 60s
      """;

  private static String indent(String s, int n) {
    return s.stripTrailing()
        .lines()
        .map(l -> " ".repeat(n) + l)
        .reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }

  @Test
  void virtualOutboundHandsOffToTheListenerOfTheOriginalPortOrPassesThrough() throws Exception {
    String yaml =
        """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
          - name: virtualOutbound
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            use_original_dst: true
            listener_filters:
        %s
            filter_chains: []
            default_filter_chain:
              filters:
        %s
          - name: svc_7000
            address: { socket_address: { address: 0.0.0.0, port_value: 7000 } }
            bind_to_port: false
            filter_chains:
            - filters:
        %s
          clusters:
        %s
        %s
        """
            .formatted(
                indent(ORIGINAL_DST, 4),
                indent(tcpProxy("PassthroughCluster"), 6),
                indent(tcpProxy("service"), 6),
                indent(PASSTHROUGH, 2),
                indent(cluster("service", "${SERVICE}"), 2));
    try (TcpUpstream service = TcpUpstream.start(TcpUpstream.ECHO);
        TcpUpstream unknown = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy = start(yaml, Map.of("SERVICE", String.valueOf(service.port())))) {
      InetSocketAddress virtual = proxy.listener("virtualOutbound");

      try (Socket toService = connect(virtual, new InetSocketAddress("10.99.0.1", 7000))) {
        assertThat(exchange(toService, "to-7000", 7)).isEqualTo("to-7000");
      }
      try (Socket elsewhere =
          connect(virtual, new InetSocketAddress("127.0.0.1", unknown.port()))) {
        assertThat(exchange(elsewhere, "passthrough", 11)).isEqualTo("passthrough");
      }
      try (Socket lost = connect(virtual, UNREADABLE)) {
        assertThat(read(lost, 1)).isEmpty(); // closed: the destination could not be read
      }

      assertThat(service.accepted()).isEqualTo(1);
      assertThat(unknown.accepted()).isEqualTo(1);
      assertThat(proxy.metric("upstream_cx_total{cluster=\"PassthroughCluster\"}")).isEqualTo(1);
      assertThat(proxy.metric("downstream_cx_total{listener=\"svc_7000\"}")).isEqualTo(1);
      assertThat(proxy.metric("original_dst_restored_total{listener=\"virtualOutbound\"}"))
          .isEqualTo(2);
      assertThat(proxy.metric("original_dst_read_error_total{listener=\"virtualOutbound\"}"))
          .isEqualTo(1);
    }
  }

  @Test
  void destinationPortThenPrefixRangesChooseTheChain() throws Exception {
    String yaml =
        """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
          - name: outbound
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            listener_filters:
        %s
            filter_chains:
            - filter_chain_match: { destination_port: 80 }
              filters:
        %s
            - filter_chain_match:
                prefix_ranges: [ { address_prefix: 10.99.0.0, prefix_len: 16 } ]
              filters:
        %s
            default_filter_chain:
              filters:
        %s
          clusters:
        %s
        """
            .formatted(
                indent(ORIGINAL_DST, 4),
                indent(tcpProxy("a"), 6),
                indent(tcpProxy("b"), 6),
                indent(tcpProxy("c"), 6),
                threeClusters());
    try (TcpUpstream a = TcpUpstream.start(TcpUpstream.ECHO);
        TcpUpstream b = TcpUpstream.start(TcpUpstream.ECHO);
        TcpUpstream c = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy = start(yaml, ports(a, b, c))) {
      InetSocketAddress l = proxy.listener("outbound");
      for (String dst :
          new String[] {"10.99.0.1:80", "10.1.0.1:80", "10.99.3.3:443", "10.1.0.1:443"}) {
        String[] hp = dst.split(":");
        try (Socket s = connect(l, new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))) {
          assertThat(exchange(s, "x", 1)).isEqualTo("x");
        }
      }

      assertThat(a.accepted()).isEqualTo(2);
      assertThat(b.accepted()).isEqualTo(1);
      assertThat(c.accepted()).isEqualTo(1);
    }
  }

  @Test
  void httpInspectorSendsHttpToTheConnectionManagerAndTheRestToTcpEvenOnTimeout() throws Exception {
    String yaml =
        """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
          - name: inbound
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            listener_filters_timeout: 0.3s
            continue_on_listener_filters_timeout: true
            listener_filters:
            - name: envoy.filters.listener.http_inspector
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector
            filter_chains:
            - filter_chain_match: { application_protocols: [http/1.1, http/1.0] }
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: inbound_http
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: web }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
            - filters:
        %s
          clusters:
        %s
        %s
        """
            .formatted(
                indent(tcpProxy("banner"), 6),
                indent(cluster("web", "${WEB}"), 2),
                indent(cluster("banner", "${BANNER}"), 2));
    try (HttpUpstream web = new HttpUpstream("web");
        TcpUpstream banner = TcpUpstream.start(TcpUpstream.source(5));
        SidecarFixture proxy =
            start(
                yaml,
                Map.of(
                    "WEB", String.valueOf(web.port()), "BANNER", String.valueOf(banner.port())))) {
      InetSocketAddress l = proxy.listener("inbound");

      try (Socket http = connect(l, null)) {
        assertThat(exchange(http, "GET /x HTTP/1.1\r\nHost: w\r\nConnection: close\r\n\r\n", 12))
            .isEqualTo("HTTP/1.1 200");
      }
      try (Socket opaque = connect(l, null)) {
        assertThat(exchange(opaque, "\u0000\u0001binary", 5)).hasSize(5);
      }
      try (Socket serverFirst = connect(l, null)) {
        assertThat(read(serverFirst, 5)).hasSize(5); // after the 0.3 s timeout, as TCP
      }

      assertThat(web.seen()).hasSize(1);
      assertThat(banner.accepted()).isEqualTo(2);
      assertThat(proxy.metric("http_inspector_http11_found_total{listener=\"inbound\"}"))
          .isEqualTo(1);
      assertThat(proxy.metric("http_inspector_http_not_found_total{listener=\"inbound\"}"))
          .isEqualTo(2);
      assertThat(proxy.metric("downstream_pre_cx_timeout_total{listener=\"inbound\"}"))
          .isEqualTo(1);
    }
  }

  /**
   * A protocol whose server speaks first sends no ClientHello: the TLS inspector waits until {@code
   * listener_filters_timeout}. With {@code continue_on_listener_filters_timeout} the connection
   * then goes on as {@code raw_buffer} (Istio's setting for server-first ports); without it
   * (Envoy's default) it is closed.
   */
  @Test
  void serverFirstProtocolBehindATlsInspectorGoesOnAsRawBufferOnlyWithContinue() throws Exception {
    String listener =
        """
        - name: %1$s
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          listener_filters_timeout: 0.3s
          continue_on_listener_filters_timeout: %2$s
          listener_filters:
          - name: envoy.filters.listener.tls_inspector
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector
          filter_chains:
          - filter_chain_match: { transport_protocol: tls }
            filters:
        %3$s
          - filter_chain_match: { transport_protocol: raw_buffer }
            filters:
        %4$s
        """;
    String yaml =
        """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
        %s
        %s
          clusters:
        %s
        %s
        """
            .formatted(
                indent(
                    listener.formatted(
                        "cont", true, indent(tcpProxy("tls"), 4), indent(tcpProxy("banner"), 4)),
                    2),
                indent(
                    listener.formatted(
                        "strict", false, indent(tcpProxy("tls"), 4), indent(tcpProxy("banner"), 4)),
                    2),
                indent(cluster("tls", "${TLS}"), 2),
                indent(cluster("banner", "${BANNER}"), 2));
    try (TcpUpstream tls = TcpUpstream.start(TcpUpstream.ECHO);
        TcpUpstream banner = TcpUpstream.start(TcpUpstream.source(5));
        SidecarFixture proxy =
            start(
                yaml,
                Map.of(
                    "TLS", String.valueOf(tls.port()), "BANNER", String.valueOf(banner.port())))) {
      try (Socket serverFirst = connect(proxy.listener("cont"), null)) {
        assertThat(read(serverFirst, 5)).hasSize(5); // after the 0.3 s timeout, as raw_buffer
      }
      try (Socket serverFirst = connect(proxy.listener("strict"), null)) {
        assertThat(serverFirst.getInputStream().read()).isEqualTo(-1); // closed at the timeout
      }

      assertThat(banner.accepted()).isEqualTo(1);
      assertThat(tls.accepted()).isZero();
      assertThat(proxy.metric("downstream_pre_cx_timeout_total{listener=\"cont\"}")).isEqualTo(1);
      assertThat(proxy.metric("downstream_pre_cx_timeout_total{listener=\"strict\"}")).isEqualTo(1);
    }
  }

  @Test
  void tlsInspectorChoosesByServerNameThenAlpnAndPassesTheClientHelloOn() throws Exception {
    String yaml =
        """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
          - name: tls
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            listener_filters:
            - name: envoy.filters.listener.tls_inspector
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector
            filter_chains:
            - filter_chain_match: { server_names: [a.test] }
              filters:
        %s
            - filter_chain_match: { application_protocols: [h2] }
              filters:
        %s
            - filters:
        %s
          clusters:
        %s
        """
            .formatted(
                indent(tcpProxy("a"), 6),
                indent(tcpProxy("b"), 6),
                indent(tcpProxy("c"), 6),
                threeClusters());
    try (TcpUpstream a = TcpUpstream.start(TcpUpstream.ECHO);
        TcpUpstream b = TcpUpstream.start(TcpUpstream.ECHO);
        TcpUpstream c = TcpUpstream.start(TcpUpstream.ECHO);
        SidecarFixture proxy = start(yaml, ports(a, b, c))) {
      InetSocketAddress l = proxy.listener("tls");
      byte[][] hellos = {
        ClientHellos.bytes("a.test", "h2"),
        ClientHellos.bytes("b.test", "h2"),
        ClientHellos.bytes("b.test", "http/1.1")
      };
      for (byte[] hello : hellos) {
        try (Socket s = connect(l, null)) {
          s.getOutputStream().write(hello);
          assertThat(read(s, hello.length).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(hello);
        }
      }

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> a.accepted() + b.accepted() + c.accepted() == 3);
      assertThat(new int[] {a.accepted(), b.accepted(), c.accepted()}).containsExactly(1, 1, 1);
      assertThat(proxy.metric("tls_inspector_sni_found_total{listener=\"tls\"}")).isEqualTo(3);
      // Envoy's form: the filter's own scope, not the listener's.
      assertThat(proxy.admin("GET", "/stats?filter=tls_inspector").body())
          .contains("tls_inspector.sni_found: 3\n", "tls_inspector.tls_found: 3\n")
          .doesNotContain("listener.");
    }
  }
}
