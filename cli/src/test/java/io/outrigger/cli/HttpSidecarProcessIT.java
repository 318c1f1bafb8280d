package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
  private static final long GIB = 1L << 30;

  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  @TempDir Path tmp;
  private HttpServer upstream;
  private SidecarProcess sidecar;
  private int listen;

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
    listen = SidecarProcess.freePort();
    int admin = SidecarProcess.freePort();
    sidecar =
        SidecarProcess.start(
            tmp,
            SidecarProcess.httpBootstrap(
                admin,
                listen,
                upstream.getAddress().getPort(),
                "",
                "",
                "{ cluster: service, timeout: 0s }",
                ""),
            admin,
            "-Xmx128m -XX:MaxDirectMemorySize=64m");
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    upstream.stop(0);
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
    assertThat(sidecar.alive()).as(sidecar.log()).isTrue();
    assertThat(sidecar.log()).doesNotContain("OutOfMemoryError");
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
