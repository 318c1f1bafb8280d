package io.outrigger.lab.store.etcd;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.history.Fn;
import io.outrigger.lab.store.Leadership;
import io.outrigger.lab.store.OpResult;
import io.outrigger.lab.store.StoreAdapter;
import io.outrigger.lab.workload.HttpCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * etcd (v3.4 and later) through the v3 JSON gateway that every member serves on its client URL:
 * {@code POST /v3/kv/put} and {@code POST /v3/kv/range} with base64 keys and values, over HTTP/1.1
 * with the operation timeout. Reads are linearizable unless {@link EtcdReads#SERIALIZABLE}; the
 * local read after the heal is always serializable (the member's own state). Outcomes are mapped by
 * {@link EtcdOutcomes}; {@link #leadership()} asks {@code /v3/maintenance/status}. Thread-safe.
 */
public final class EtcdAdapter implements StoreAdapter {
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(1);

  private final HttpClient http;
  private final Map<String, URI> nodes;
  private final Duration opTimeout;
  private final EtcdReads reads;
  private final EtcdLeadership leadership;

  /**
   * @param nodes lab node name to the member's client URL (or its sidecar's), e.g. {@code n1 ->
   *     http://127.0.0.1:2379}
   */
  public EtcdAdapter(Map<String, URI> nodes, Duration opTimeout, EtcdReads reads) {
    this.nodes = Map.copyOf(nodes);
    this.opTimeout = requireNonNull(opTimeout, "opTimeout");
    this.reads = requireNonNull(reads, "reads");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(opTimeout)
            .build();
    Duration statusTimeout = opTimeout.compareTo(STATUS_TIMEOUT) < 0 ? opTimeout : STATUS_TIMEOUT;
    this.leadership = new EtcdLeadership(http, this.nodes, statusTimeout);
  }

  /** The factory of {@code --store etcd --etcd-reads ...}. */
  public static StoreAdapter.Factory factory(EtcdReads reads) {
    return (nodes, opTimeout) -> new EtcdAdapter(nodes, opTimeout, reads);
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public String describe() {
    return "etcd v3 JSON gateway, " + reads.wireName() + " reads";
  }

  @Override
  public OpResult read(String node, String key) {
    String body = EtcdJson.rangeBody(key, reads == EtcdReads.SERIALIZABLE);
    return post(node, "/v3/kv/range", body, Fn.READ, null);
  }

  @Override
  public OpResult write(String node, String key, String value) {
    return post(node, "/v3/kv/put", EtcdJson.putBody(key, value), Fn.WRITE, value);
  }

  @Override
  public Convergence.LocalValue localRead(String node, String key) {
    OpResult r = post(node, "/v3/kv/range", EtcdJson.rangeBody(key, true), Fn.READ, null);
    return switch (r.outcome()) {
      case OK ->
          new Convergence.LocalValue(
              r.value(), r.version() == null ? null : r.version().toString(), null);
      case FAIL, INFO -> new Convergence.LocalValue(null, null, r.error());
    };
  }

  @Override
  public Optional<Leadership> leadership() {
    return Optional.of(leadership);
  }

  private OpResult post(String node, String path, String body, Fn f, String written) {
    HttpRequest request =
        HttpRequest.newBuilder(resolve(url(node), path))
            .timeout(opTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpCalls.send(
        http,
        request,
        opTimeout,
        response -> EtcdOutcomes.answered(f, written, response.statusCode(), response.body(), node),
        failure -> EtcdOutcomes.failed(f, written, failure));
  }

  private URI url(String node) {
    URI url = nodes.get(node);
    if (url == null) {
      throw new IllegalArgumentException("node: %s (expected one of %s)".formatted(node, nodes));
    }
    return url;
  }

  static URI resolve(URI base, String path) {
    String s = base.toString();
    return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + path);
  }
}
