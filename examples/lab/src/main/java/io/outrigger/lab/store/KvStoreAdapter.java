package io.outrigger.lab.store;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.history.Fn;
import io.outrigger.lab.workload.OutcomeMapping;
import io.outrigger.lab.workload.StoreClient;
import io.outrigger.lab.workload.StoreReply;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The project's own store ({@code examples/kvstore}) over its HTTP API: {@code GET/PUT /kv/{key}}
 * through each node's sidecar, mapped by {@link OutcomeMapping}; the local read is {@code GET
 * /kv/{key}?local=true}. Leaderless, so no {@link #leadership()}.
 */
public final class KvStoreAdapter implements StoreAdapter {
  private final StoreClient client;
  private final Map<String, URI> nodes;

  /** An adapter over {@code client} for the nodes' store URLs. */
  public KvStoreAdapter(StoreClient client, Map<String, URI> nodes) {
    this.client = requireNonNull(client, "client");
    this.nodes = Map.copyOf(nodes);
  }

  /** The factory of {@code --store kvstore}, the default. */
  public static StoreAdapter open(Map<String, URI> nodes, Duration opTimeout) {
    return new KvStoreAdapter(StoreClient.create(opTimeout), nodes);
  }

  @Override
  public String name() {
    return "kvstore";
  }

  @Override
  public String describe() {
    return "kvstore HTTP API (GET/PUT /kv/{key})";
  }

  @Override
  public OpResult read(String node, String key) {
    return result(OutcomeMapping.map(Fn.READ, null, client.read(url(node), key, false)));
  }

  @Override
  public OpResult write(String node, String key, String value) {
    return result(OutcomeMapping.map(Fn.WRITE, value, client.write(url(node), key, value)));
  }

  @Override
  public Convergence.LocalValue localRead(String node, String key) {
    StoreReply reply = client.read(url(node), key, true);
    if (reply instanceof StoreReply.Failure f) {
      return new Convergence.LocalValue(null, null, f.error());
    }
    StoreReply.Answer a = (StoreReply.Answer) reply;
    boolean answered = a.status() == 200 || (a.status() == 404 && a.hasKey());
    if (!answered) {
      return new Convergence.LocalValue(null, null, a.status() + " " + a.error());
    }
    return new Convergence.LocalValue(
        a.value(), a.version() == null ? null : a.version().toString(), null);
  }

  private URI url(String node) {
    URI url = nodes.get(node);
    if (url == null) {
      throw new IllegalArgumentException("node: %s (expected one of %s)".formatted(node, nodes));
    }
    return url;
  }

  private static OpResult result(OutcomeMapping.Mapped m) {
    return new OpResult(m.outcome(), m.value(), m.replica(), m.version(), m.error());
  }
}
