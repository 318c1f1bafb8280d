package io.outrigger.kvstore;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * N replicas on loopback, each pair joined by a {@link Link} per direction so that tests can cut
 * the network between them, and a small HTTP client for the public API.
 */
final class TestCluster implements AutoCloseable {
  private final Mode mode;
  private final Path root;
  private final Duration requestTimeout;
  private final Duration antiEntropy;
  private final List<String> names = new ArrayList<>();
  private final Map<String, KvStore> stores = new LinkedHashMap<>();
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  TestCluster(int n, Mode mode, Path root, Duration requestTimeout, Duration antiEntropy)
      throws IOException {
    this.mode = mode;
    this.root = root;
    this.requestTimeout = requestTimeout;
    this.antiEntropy = antiEntropy;
    for (int i = 1; i <= n; i++) {
      names.add("n" + i);
    }
    for (String from : names) {
      for (String to : names) {
        if (!from.equals(to)) {
          links.put(from + ">" + to, new Link(from + ">" + to, () -> stores.get(to).address()));
        }
      }
    }
    for (String node : names) {
      start(node);
    }
  }

  private void start(String node) throws IOException {
    List<Peer> peers = new ArrayList<>();
    for (String other : names) {
      if (!other.equals(node)) {
        peers.add(new Peer(other, links.get(node + ">" + other).address()));
      }
    }
    KvStoreOptions options =
        KvStoreOptions.of(
                node,
                new InetSocketAddress("127.0.0.1", 0),
                peers,
                mode,
                root == null ? null : root.resolve(node))
            .withRequestTimeout(requestTimeout)
            .withAntiEntropyInterval(antiEntropy)
            .withFsync(false);
    stores.put(node, KvStore.start(options, new Random(node.hashCode())));
  }

  /** Stops a replica and starts it again on the same data folder (its port changes). */
  void restart(String node) throws IOException {
    stores.get(node).close();
    start(node);
  }

  /** Cuts every link into and out of {@code node}. */
  void isolate(String node) {
    links.forEach(
        (name, link) -> {
          if (name.startsWith(node + ">") || name.endsWith(">" + node)) {
            link.cut();
          }
        });
  }

  /** Every link out of {@code node} swallows requests without an answer. */
  void blackholeFrom(String node) {
    links.forEach(
        (name, link) -> {
          if (name.startsWith(node + ">")) {
            link.blackhole();
          }
        });
  }

  /** Cuts the links between {@code side} and the rest. */
  void partition(Set<String> side) {
    links.forEach(
        (name, link) -> {
          String[] ends = name.split(">");
          if (side.contains(ends[0]) != side.contains(ends[1])) {
            link.cut();
          }
        });
  }

  void heal() {
    links.values().forEach(Link::heal);
  }

  KvStore store(String node) {
    return stores.get(node);
  }

  HttpResponse<String> send(String node, String method, String pathAndQuery, String body) {
    InetSocketAddress a = stores.get(node).address();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + pathAndQuery))
            .timeout(Duration.ofSeconds(10));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> put(String node, String key, String value) {
    return send(node, "PUT", "/kv/" + key, value);
  }

  HttpResponse<String> get(String node, String key) {
    return send(node, "GET", "/kv/" + key, null);
  }

  HttpResponse<String> getLocal(String node, String key) {
    return send(node, "GET", "/kv/" + key + "?local=true", null);
  }

  HttpResponse<String> delete(String node, String key) {
    return send(node, "DELETE", "/kv/" + key, null);
  }

  static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  /** The value field of a key answer, or null. */
  static String value(HttpResponse<String> r) {
    JsonObject o = json(r);
    return o.get("value").isJsonNull() ? null : o.get("value").getAsString();
  }

  @Override
  public void close() throws IOException {
    for (KvStore s : stores.values()) {
      s.close();
    }
    for (Link l : links.values()) {
      l.close();
    }
  }
}
