package io.outrigger.cli.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code SO_ORIGINAL_DST}: in a network namespace of its own, an iptables {@code REDIRECT}
 * sends an unprivileged client's TCP through the sidecar's virtual outbound listener, as Istio's
 * init does, and the sidecar recovers where each connection was going.
 *
 * <p>Only the traffic of uid 65534 ({@code nobody}, the "application", which curl runs as) is
 * redirected; the sidecar runs as root, so its own upstream connections to the very same addresses
 * are never redirected back to itself (Istio excludes the proxy's uid the same way). The services
 * live on 10.99.0.1, an address of the namespace's loopback interface.
 *
 * <p>Runs as root with {@code ip}, {@code iptables} and {@code curl} present (CI does); skipped
 * otherwise. The namespace is removed even when the test fails.
 */
class OriginalDstNamespaceIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();
  private static final String SERVICE_IP = "10.99.0.1";
  private static final int VIRTUAL = 15001;
  private static final int ADMIN = 15000;

  private final String ns =
      "ortest" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  private final List<Process> processes = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void namespace() throws Exception {
    assumeThat(run("id", "-u").trim()).as("runs as root").isEqualTo("0");
    for (String tool :
        List.of("/usr/sbin/ip", "/usr/sbin/iptables", "/usr/bin/curl", "/usr/bin/setpriv")) {
      assumeThat(Files.isExecutable(Path.of(tool))).as(tool).isTrue();
    }
    run("ip", "netns", "add", ns);
    run("ip", "-n", ns, "link", "set", "lo", "up");
    // The service address lives on lo: this machine kind has no dummy interfaces.
    run("ip", "-n", ns, "addr", "add", SERVICE_IP + "/32", "dev", "lo");
    // The application's (uid 65534's) outbound TCP goes to the sidecar, except to loopback.
    run(
        "ip",
        "netns",
        "exec",
        ns,
        "iptables",
        "-t",
        "nat",
        "-A",
        "OUTPUT",
        "-p",
        "tcp",
        "!",
        "-d",
        "127.0.0.0/8",
        "-m",
        "owner",
        "--uid-owner",
        "65534",
        "-j",
        "REDIRECT",
        "--to-ports",
        String.valueOf(VIRTUAL));
  }

  @AfterEach
  void removeNamespace() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (run("ip", "netns", "list").contains(ns)) {
      run("ip", "netns", "delete", ns);
    }
  }

  @Test
  void redirectedConnectionsReachTheirListenerOrPassThroughAndTheSidecarIsNeverRedirected()
      throws Exception {
    startInNamespace(
        dir.resolve("servers.log"),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        NamespaceHttpServer.class.getName(),
        SERVICE_IP,
        "8080",
        "9090");
    Path config = dir.resolve("sidecar.yaml");
    Files.writeString(config, bootstrap());
    startSidecar(config);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> curlAsRoot("http://127.0.0.1:" + ADMIN + "/ready").startsWith("200"));
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> curlAsRoot("http://" + SERVICE_IP + ":9090/").startsWith("200"));

    // Port 8080 has a listener (bind_to_port: false): the hand-off, then its route.
    assertThat(curlAsApp("http://" + SERVICE_IP + ":8080/a"))
        .isEqualTo("hello from 10.99.0.1:8080");
    // Port 9090 has none: the default chain, tcp_proxy to PassthroughCluster.
    assertThat(curlAsApp("http://" + SERVICE_IP + ":9090/b"))
        .isEqualTo("hello from 10.99.0.1:9090");

    String stats = curlAsRoot("http://127.0.0.1:" + ADMIN + "/stats/prometheus");
    assertThat(stats)
        .contains("original_dst_restored_total{listener=\"virtualOutbound\"} 2.0")
        .contains("downstream_cx_total{listener=\"svc_8080\"} 1.0")
        .contains("upstream_cx_total{cluster=\"app\"} 1.0")
        .contains("upstream_cx_total{cluster=\"PassthroughCluster\"} 1.0");
    assertThat(stats)
        .doesNotContain("original_dst_read_error_total{listener=\"virtualOutbound\"} 1");
  }

  private String bootstrap() {
    return """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: %d } }
        static_resources:
          listeners:
          - name: virtualOutbound
            address: { socket_address: { address: 0.0.0.0, port_value: %d } }
            use_original_dst: true
            listener_filters:
            - name: envoy.filters.listener.original_dst
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst
            default_filter_chain:
              filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: PassthroughCluster
                  cluster: PassthroughCluster
          - name: svc_8080
            address: { socket_address: { address: 0.0.0.0, port_value: 8080 } }
            bind_to_port: false
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: svc_8080
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: app }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: PassthroughCluster
            type: ORIGINAL_DST
            lb_policy: CLUSTER_PROVIDED
            connect_timeout: 1s
          - name: app
            connect_timeout: 1s
            load_assignment:
              cluster_name: app
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: %s, port_value: 8080 }
        """
        .formatted(ADMIN, VIRTUAL, SERVICE_IP);
  }

  private void startSidecar(Path config) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            ns,
            HOME.resolve("bin/outrigger").toString(),
            "proxy",
            "--config",
            config.toString(),
            "--concurrency",
            "2",
            // the counters below are read in the idiomatic Prometheus form
            "--stats-format",
            "idiomatic");
    pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:MaxDirectMemorySize=128m");
    pb.directory(HOME.toFile());
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("sidecar.log").toFile());
    processes.add(pb.start());
  }

  private void startInNamespace(Path log, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    processes.add(
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  /** curl as root: not redirected. Returns {@code CODE BODY}. */
  private String curlAsRoot(String url) throws Exception {
    String out =
        run("ip", "netns", "exec", ns, "curl", "-s", "-m", "5", "-w", "\n%{http_code}", url);
    int nl = out.lastIndexOf('\n');
    return out.substring(nl + 1).trim() + " " + out.substring(0, Math.max(0, nl));
  }

  /** curl as the application (uid 65534): redirected to the sidecar. Returns the body. */
  private String curlAsApp(String url) throws Exception {
    return run(
        "ip",
        "netns",
        "exec",
        ns,
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "curl",
        "-s",
        "-f",
        "-m",
        "5",
        url);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
