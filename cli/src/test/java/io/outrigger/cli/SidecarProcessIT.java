package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box tests of the built command: {@code bin/outrigger proxy} as a process, with the
 * quickstart bootstrap, on loopback ports chosen for the run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SidecarProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();
  private static final Path LAUNCHER = HOME.resolve("bin/outrigger");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private Process process;

  @TempDir Path tmp;

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    threads.shutdownNow();
  }

  private Process launch(Map<String, String> env, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(LAUNCHER.toString());
    pb.command().addAll(List.of(args));
    pb.environment().putAll(env);
    pb.redirectOutput(tmp.resolve("stdout.log").toFile());
    pb.redirectError(tmp.resolve("stderr.log").toFile());
    pb.directory(HOME.toFile());
    return pb.start();
  }

  private String stderr() throws IOException {
    return Files.readString(tmp.resolve("stderr.log"));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An echo upstream on plain sockets; returns its port. */
  private int echoUpstream() throws IOException {
    ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket s = server.accept();
              threads.execute(
                  () -> {
                    try (s) {
                      s.getInputStream().transferTo(s.getOutputStream());
                      s.shutdownOutput();
                    } catch (IOException ignored) {
                      // closed by the proxy
                    }
                  });
            } catch (IOException e) {
              return;
            }
          }
        });
    return server.getLocalPort();
  }

  private Map<String, String> quickstartPorts(int upstream, int listen, int admin) {
    return Map.of(
        "UPSTREAM_PORT", String.valueOf(upstream),
        "LISTEN_PORT", String.valueOf(listen),
        "ADMIN_PORT", String.valueOf(admin));
  }

  private void awaitReady(int adminPort) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> get(adminPort, "/ready").statusCode() == 200);
  }

  /**
   * Keys as OpenSSL writes them by default in its traditional forms (the fixtures under {@code
   * openssl-keys/}: {@code openssl ecparam -genkey} with its {@code EC PARAMETERS} block, and
   * {@code openssl genrsa -traditional}), served through the built jar. Netty reads such keys with
   * BouncyCastle's JCA provider, whose classes the jar leaves out; Outrigger reads them itself.
   */
  @Test
  void servesTlsWithSec1AndPkcs1KeysThroughTheBuiltJar() throws Exception {
    Path keys = HOME.resolve("cli/src/test/resources/openssl-keys");
    int ec = SidecarProcess.freePort();
    int rsa = SidecarProcess.freePort();
    int admin = SidecarProcess.freePort();
    Path config = tmp.resolve("tls.yaml");
    Files.writeString(
        config,
        """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: %d }
        static_resources:
          listeners:
        %s
        %s
        """
            .formatted(
                admin,
                tlsListener("ec", ec, keys.resolve("ec-cert.pem"), keys.resolve("ec-sec1-key.pem")),
                tlsListener(
                    "rsa", rsa, keys.resolve("rsa-cert.pem"), keys.resolve("rsa-pkcs1-key.pem"))));
    process = launch(Map.of(), "proxy", "--config", config.toString());
    awaitReady(admin);

    for (var listener : Map.of("ec", ec, "rsa", rsa).entrySet()) {
      Path cert = keys.resolve(listener.getKey() + "-cert.pem");
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + listener.getValue() + "/"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("served with the " + listener.getKey() + " key");
      assertThat(r.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCertificate(Files.newInputStream(cert)));
    }
  }

  private static String tlsListener(String name, int port, Path cert, Path key) {
    return """
          - name: %1$s
            address:
              socket_address: { address: 127.0.0.1, port_value: %2$d }
            filter_chains:
            - transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  common_tls_context:
                    tls_certificates:
                    - certificate_chain: { filename: "%3$s" }
                      private_key: { filename: "%4$s" }
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: %1$s
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        direct_response: { status: 200, body: { inline_string: "served with the %1$s key" } }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """
        .formatted(name, port, cert, key);
  }

  private static javax.net.ssl.SSLContext trusting(Path cert) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "server",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void carriesSixtyFourMebibytesIntactWithTheHeapCappedAt128MiB() throws Exception {
    int upstream = echoUpstream();
    int listen = SidecarProcess.freePort();
    int admin = SidecarProcess.freePort();
    Map<String, String> env = new java.util.HashMap<>(quickstartPorts(upstream, listen, admin));
    env.put("JAVA_OPTS", "-Xmx128m -XX:MaxDirectMemorySize=64m");
    process =
        launch(env, "proxy", "--config", "examples/quickstart/sidecar.yaml", "--concurrency", "2");
    awaitReady(admin);

    int size = 64 * 1024 * 1024;
    byte[] chunk = new byte[1024 * 1024];
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    MessageDigest back = MessageDigest.getInstance("SHA-256");
    try (Socket s = new Socket("127.0.0.1", listen)) {
      s.setSoTimeout(30_000);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Random random = new Random(7);
                  OutputStream out = s.getOutputStream();
                  for (int i = 0; i < size / chunk.length; i++) {
                    random.nextBytes(chunk);
                    sent.update(chunk);
                    out.write(chunk);
                  }
                  s.shutdownOutput();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              },
              threads);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[256 * 1024];
      long received = 0;
      int n;
      while ((n = in.read(buf)) >= 0) {
        back.update(buf, 0, n);
        received += n;
      }
      writer.get(30, TimeUnit.SECONDS);
      assertThat(received).isEqualTo(size);
      assertThat(back.digest()).isEqualTo(sent.digest());
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(get(admin, "/stats/prometheus").body())
                    .contains(
                        "envoy_listener_downstream_cx_rx_bytes_total{envoy_listener_address=\"127.0.0.1_"
                            + listen
                            + "\"} 67108864\n")
                    .contains(
                        "envoy_listener_downstream_cx_tx_bytes_total{envoy_listener_address=\"127.0.0.1_"
                            + listen
                            + "\"} 67108864\n"));
    assertThat(process.isAlive()).isTrue();
  }

  @Test
  void sigtermDrainsOpenConnectionsThenExitsZero() throws Exception {
    int upstream = echoUpstream();
    int listen = SidecarProcess.freePort();
    int admin = SidecarProcess.freePort();
    process =
        launch(
            quickstartPorts(upstream, listen, admin),
            "proxy",
            "--config",
            "examples/quickstart/sidecar.yaml",
            "--drain-time",
            "20s");
    awaitReady(admin);
    try (Socket s = new Socket("127.0.0.1", listen)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(1);
      assertThat(s.getInputStream().read()).isEqualTo(1);

      process.destroy(); // SIGTERM
      await().atMost(Duration.ofSeconds(10)).until(() -> stderr().contains("SIGTERM received"));
      assertThat(get(admin, "/ready").statusCode()).isEqualTo(503);
      // The open connection still works while draining; new ones are refused.
      s.getOutputStream().write(2);
      assertThat(s.getInputStream().read()).isEqualTo(2);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  org.assertj.core.api.Assertions.assertThatThrownBy(
                          () -> new Socket("127.0.0.1", listen).close())
                      .isInstanceOf(java.net.ConnectException.class));
      assertThat(process.isAlive()).isTrue();
    }
    // The last connection closed: the drain ends early and the process exits 0.
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void configErrorExitsTwoWithTheFieldAndNoStackTrace() throws Exception {
    Path bad = tmp.resolve("sidecar.yaml");
    Files.writeString(
        bad,
        """
        static_resources:
          clusters:
          - name: c
            connect_timeout: 5x
        """);
    process = launch(Map.of(), "proxy", "--config", bad.toString());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr())
        .contains("config error: " + bad + ": ")
        .contains("static_resources.clusters[0].connect_timeout: invalid duration \"5x\"")
        .doesNotContain("\tat ");
  }

  @Test
  void versionAndHelpWork() throws Exception {
    process = launch(Map.of(), "--version");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readString(tmp.resolve("stdout.log"))).startsWith("outrigger 0.1.0");
  }
}
