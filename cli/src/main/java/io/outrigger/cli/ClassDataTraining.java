package io.outrigger.cli;

import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.proxy.admin.LogLevels;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The workload from which the build writes the class-data-sharing archive that {@code
 * bin/outrigger} maps at start (docs/operations.md#start-up): run by the cli module's {@code
 * package} phase as {@code java -XX:ArchiveClassesAtExit=target/outrigger.jsa -cp
 * target/outrigger.jar io.outrigger.cli.ClassDataTraining}. Not a subcommand; nothing else runs it.
 *
 * <p>It does what a sidecar does in its first seconds, so that the JVM archives the classes of that
 * path already parsed and linked: it loads a bootstrap, starts a sidecar whose one cluster is a
 * second sidecar answering with a {@code direct_response}, waits for {@code /ready}, proxies
 * HTTP/1.1 requests through both, and reads {@code /stats/prometheus}. Everything is on loopback
 * and ephemeral ports, and bounded in time by socket timeouts; any unexpected answer fails the
 * build, because a jar that cannot do this would not serve either.
 */
public final class ClassDataTraining {
  private static final int REQUESTS = 20;
  private static final int TIMEOUT_MS = 10_000;

  private ClassDataTraining() {}

  public static void main(String[] args) throws Exception {
    LogLevels.setAll("warn");
    try (Sidecar backend = start(backendYaml());
        Sidecar front = start(frontYaml(backend.listenerAddress("backend").getPort()))) {
      InetSocketAddress admin = front.adminAddress().orElseThrow();
      expect(admin, "/ready", 200);
      InetSocketAddress listener = front.listenerAddress("front");
      try (Socket s = connect(listener)) {
        for (int i = 0; i < REQUESTS; i++) {
          expect(s, "/train", 200);
        }
      }
      expect(admin, "/stats/prometheus", 200);
      front.shutdown(Duration.ZERO).join();
      backend.shutdown(Duration.ZERO).join();
    }
    // The JVM writes the archive as it exits.
    System.exit(0);
  }

  private static Sidecar start(String yaml) throws ConfigException, Sidecar.StartException {
    return Sidecar.start(
        BootstrapLoader.load(yaml, "class-data training", Map.of()),
        new SidecarOptions(1, Duration.ZERO));
  }

  private static Socket connect(InetSocketAddress to) throws IOException {
    Socket s = new Socket();
    s.connect(to, TIMEOUT_MS);
    s.setSoTimeout(TIMEOUT_MS);
    return s;
  }

  private static void expect(InetSocketAddress to, String path, int status) throws IOException {
    try (Socket s = connect(to)) {
      expect(s, path, status);
    }
  }

  /** One keep-alive HTTP/1.1 GET on {@code s}, its body read to its Content-Length. */
  private static void expect(Socket s, String path, int status) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: training\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = new BufferedInputStream(s.getInputStream());
    String head = readHead(in);
    int got = Integer.parseInt(head.substring(9, 12));
    if (got != status) {
      throw new IllegalStateException(path + ": expected " + status + ", got:\n" + head);
    }
    int length = contentLength(head);
    if (in.readNBytes(length).length != length) {
      throw new IllegalStateException(path + ": body shorter than its Content-Length " + length);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("connection closed in the response head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    throw new IllegalStateException("no Content-Length in:\n" + head);
  }

  private static String backendYaml() {
    return """
        static_resources:
          listeners:
          - name: backend
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: backend
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        direct_response: { status: 200, body: { inline_string: "trained" } }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """;
  }

  static String frontYaml(int backendPort) {
    return """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
          - name: front
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: front
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: backend }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: backend
            connect_timeout: 1s
            load_assignment:
              cluster_name: backend
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """
        .formatted(backendPort);
  }
}
