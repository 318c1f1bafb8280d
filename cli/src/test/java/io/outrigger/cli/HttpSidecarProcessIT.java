package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP data path of the built command: a 1 GiB upload and a 1 GiB download pass through a
 * sidecar whose heap is capped at 128 MiB, because bodies stream and never accumulate.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpSidecarProcessIT {
  private static final Path HOME =
      Path.of(System.getProperty("outrigger.home", "..")).toAbsolutePath();
  private static final long GIB = 1L << 30;

  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  @TempDir Path tmp;
  private HttpServer upstream;
  private Process process;
  private int listen;
  private int admin;

  @BeforeEach
  void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    upstream.setExecutor(Executors.newCachedThreadPool());
    upstream.createContext(
        "/upload",
        ex -> {
          CRC32 crc = new CRC32();
          long n = 0;
          byte[] buf = new byte[1 << 16];
          int r;
          try (InputStream in = ex.getRequestBody()) {
            while ((r = in.read(buf)) >= 0) {
              crc.update(buf, 0, r);
              n += r;
            }
          }
          byte[] body = (n + " " + crc.getValue()).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    upstream.createContext(
        "/download",
        ex -> {
          ex.sendResponseHeaders(200, 0); // chunked, length unknown to the proxy
          try (OutputStream out = ex.getResponseBody();
              InputStream in = new Generated(GIB)) {
            in.transferTo(out);
          }
        });
    upstream.start();
    listen = freePort();
    admin = freePort();
    Path config = tmp.resolve("http-sidecar.yaml");
    Files.writeString(
        config,
        """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: %d }
        static_resources:
          listeners:
          - name: ingress
            address:
              socket_address: { address: 127.0.0.1, port_value: %d }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress_http
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: service, timeout: 0s }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: service
            connect_timeout: 1s
            load_assignment:
              cluster_name: service
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: 127.0.0.1, port_value: %d }
        """
            .formatted(admin, listen, upstream.getAddress().getPort()));
    ProcessBuilder pb =
        new ProcessBuilder(
            HOME.resolve("bin/outrigger").toString(),
            "proxy",
            "--config",
            config.toString(),
            "--concurrency",
            "2");
    pb.environment().put("JAVA_OPTS", "-Xmx128m -XX:MaxDirectMemorySize=64m");
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile());
    process = pb.directory(HOME.toFile()).start();
    HttpClient probe = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                probe
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + admin + "/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
    upstream.stop(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void oneGibibyteUpAndDownWithTheHeapCappedAt128MiB() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> up =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(GIB)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).isEqualTo(GIB + " " + Generated.crcOf(GIB));

    HttpResponse<InputStream> down =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/download")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(down.statusCode()).isEqualTo(200);
    CRC32 got = new CRC32();
    long n = 0;
    byte[] buf = new byte[1 << 16];
    int r;
    try (InputStream in = down.body()) {
      while ((r = in.read(buf)) >= 0) {
        got.update(buf, 0, r);
        n += r;
      }
    }
    assertThat(n).isEqualTo(GIB);
    assertThat(got.getValue()).isEqualTo(Generated.crcOf(GIB));
    assertThat(process.isAlive()).as(Files.readString(tmp.resolve("out.log"))).isTrue();
    assertThat(Files.readString(tmp.resolve("out.log"))).doesNotContain("OutOfMemoryError");
  }

  /** A stream of {@code length} bytes that repeats a fixed 64 KiB block, cheap to generate. */
  static final class Generated extends InputStream {
    private static final byte[] BLOCK = new byte[1 << 16];

    static {
      for (int i = 0; i < BLOCK.length; i++) {
        BLOCK[i] = (byte) (i * 31 + (i >> 8));
      }
    }

    private final long length;
    private long pos;

    Generated(long length) {
      this.length = length;
    }

    static long crcOf(long length) {
      CRC32 crc = new CRC32();
      long left = length;
      while (left > 0) {
        int k = (int) Math.min(BLOCK.length, left);
        crc.update(BLOCK, 0, k);
        left -= k;
      }
      return crc.getValue();
    }

    @Override
    public int read() {
      if (pos >= length) {
        return -1;
      }
      return BLOCK[(int) (pos++ % BLOCK.length)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= length) {
        return -1;
      }
      int start = (int) (pos % BLOCK.length);
      int k = (int) Math.min(Math.min(len, BLOCK.length - start), length - pos);
      System.arraycopy(BLOCK, start, b, off, k);
      pos += k;
      return k;
    }
  }
}
