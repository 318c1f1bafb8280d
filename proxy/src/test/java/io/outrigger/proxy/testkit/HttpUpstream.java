package io.outrigger.proxy.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 upstream on 127.0.0.1, port 0 (the JDK's server), scripted by path, that records
 * every request it sees.
 *
 * <ul>
 *   <li>{@code /echo-sha}: answers the SHA-256 of the request body and its length
 *   <li>{@code /sleep/MS}: waits MS milliseconds, then answers 200
 *   <li>{@code /bytes/N}: answers N bytes of a known pattern (see {@link Patterns}), chunked
 *   <li>{@code /healthz}: answers the status set with {@link #healthStatus(int)}, 200 at first
 *   <li>{@code /record}: reads the whole body, then records whether it ended as its framing says or
 *       was cut off ({@link #bodies()}), then answers 200
 *   <li>anything else: 200 {@code hello from NAME}
 * </ul>
 */
public final class HttpUpstream implements AutoCloseable {
  /**
   * How the body of a {@code /record} request ended: {@code complete} when the upstream read it to
   * the end its framing announced, false when the connection broke first.
   */
  public record Body(boolean complete, String text) {}

  /** What the upstream saw of one request. */
  public record Seen(String method, String uri, Map<String, List<String>> headers) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  static {
    // The JDK server writes headers and body in separate segments; without TCP_NODELAY, Nagle's
    // algorithm and delayed ACKs add 40 ms to every response.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final String name;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<Body> bodies = new CopyOnWriteArrayList<>();
  private volatile int healthStatus = 200;

  public HttpUpstream(String name) throws IOException {
    this.name = name;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    seen.add(
        new Seen(
            ex.getRequestMethod(),
            ex.getRequestURI().toString(),
            Map.copyOf(ex.getRequestHeaders())));
    String path = ex.getRequestURI().getPath();
    try (ex) {
      if (path.equals("/echo-sha")) {
        MessageDigest md = sha256();
        long n = 0;
        InputStream in = ex.getRequestBody();
        byte[] buf = new byte[65536];
        int r;
        while ((r = in.read(buf)) >= 0) {
          md.update(buf, 0, r);
          n += r;
        }
        send(ex, 200, HexFormat.of().formatHex(md.digest()) + " " + n);
      } else if (path.startsWith("/sleep/")) {
        try {
          Thread.sleep(Long.parseLong(path.substring(7)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(ex, 200, "slept");
      } else if (path.startsWith("/bytes/")) {
        long total = Long.parseLong(path.substring(7));
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[65536];
        long sent = 0;
        while (sent < total) {
          int k = (int) Math.min(chunk.length, total - sent);
          Patterns.fill(chunk, sent, k);
          ex.getResponseBody().write(chunk, 0, k);
          sent += k;
        }
      } else if (path.equals("/record")) {
        record(ex);
      } else if (path.equals("/healthz")) {
        send(ex, healthStatus, "health");
      } else if (path.startsWith("/status/")) {
        send(ex, Integer.parseInt(path.substring(8)), "status");
      } else {
        ex.getRequestBody().readAllBytes();
        send(ex, 200, "hello from " + name);
      }
    }
  }

  private void record(HttpExchange ex) throws IOException {
    byte[] body;
    try {
      body = ex.getRequestBody().readAllBytes();
    } catch (IOException cutOff) {
      bodies.add(new Body(false, ""));
      throw cutOff;
    }
    bodies.add(new Body(true, new String(body, StandardCharsets.ISO_8859_1)));
    send(ex, 200, "recorded " + body.length);
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** What {@code /healthz} answers from now on. */
  public void healthStatus(int status) {
    healthStatus = status;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Seen> seen() {
    return seen;
  }

  /** The bodies of {@code /record} requests, in the order they ended. */
  public List<Body> bodies() {
    return bodies;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
