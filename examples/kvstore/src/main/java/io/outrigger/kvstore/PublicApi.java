package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The client endpoints (docs/kvstore.md): {@code GET|PUT|DELETE /kv/{key}}, {@code GET
 * /kv?prefix=P}, {@code GET /healthz}. How a key operation runs depends on the {@link Mode}: ABD
 * quorums for cp writes and cp reads, the local replica for ap and for cp-unsafe reads, and for any
 * read with {@code ?local=true}.
 */
final class PublicApi {
  /** The largest value a client may put. */
  static final int MAX_VALUE_BYTES = 1 << 20;

  private final String node;
  private final Mode mode;
  private final Storage storage;
  private final AbdCoordinator abd;
  private final HintedReplicator replicator;
  private final long requestTimeoutNanos;

  /**
   * @param abd the quorum protocol; used unless the mode is ap
   * @param replicator background replication; used in ap only
   */
  PublicApi(
      String node,
      Mode mode,
      Storage storage,
      AbdCoordinator abd,
      HintedReplicator replicator,
      Duration requestTimeout) {
    this.node = requireNonNull(node, "node");
    this.mode = requireNonNull(mode, "mode");
    this.storage = requireNonNull(storage, "storage");
    this.abd = abd;
    this.replicator = replicator;
    this.requestTimeoutNanos = requestTimeout.toNanos();
  }

  CompletableFuture<Reply> healthz(HttpMethod method) {
    if (!method.equals(HttpMethod.GET)) {
      return notAllowed("GET");
    }
    JsonObject o = new JsonObject();
    o.addProperty("node", node);
    o.addProperty("mode", mode.label());
    o.addProperty("status", "ok");
    return done(Reply.ok(o));
  }

  /** {@code GET /kv?prefix=P}: the live keys this replica holds. */
  CompletableFuture<Reply> list(HttpMethod method, Map<String, List<String>> params) {
    if (!method.equals(HttpMethod.GET)) {
      return notAllowed("GET");
    }
    String prefix = first(params, "prefix", "");
    return storage.scan(prefix).thenApply(items -> Reply.items(items, node));
  }

  /** {@code /kv/{key}} with any method. */
  CompletableFuture<Reply> key(
      HttpMethod method, String key, Map<String, List<String>> params, byte[] body) {
    try {
      Versioned.checkKey(key);
    } catch (IllegalArgumentException e) {
      return done(Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage(), node));
    }
    long deadline = System.nanoTime() + requestTimeoutNanos;
    if (method.equals(HttpMethod.GET)) {
      boolean local = "true".equals(first(params, "local", "false"));
      if (local || !mode.quorumReads()) {
        return storage.get(key).thenApply(v -> Reply.entry(key, v, node));
      }
      return abd.read(key, deadline).thenApply(o -> answer(key, o, false));
    }
    if (method.equals(HttpMethod.PUT)) {
      if (body.length > MAX_VALUE_BYTES) {
        return done(tooLarge(node));
      }
      return write(key, body, deadline);
    }
    if (method.equals(HttpMethod.DELETE)) {
      return write(key, null, deadline);
    }
    return notAllowed("GET, PUT, DELETE");
  }

  private CompletableFuture<Reply> write(String key, byte[] value, long deadline) {
    boolean delete = value == null;
    if (mode.quorumWrites()) {
      return abd.write(key, value, deadline).thenApply(o -> answer(key, o, delete));
    }
    return storage
        .writeLocal(key, value)
        .thenApply(
            v -> {
              replicator.replicate(v);
              return delete ? Reply.deleted(v, node) : Reply.entry(key, v, node);
            });
  }

  private Reply answer(String key, Outcome outcome, boolean delete) {
    if (outcome instanceof Outcome.NoQuorum nq) {
      return Reply.noQuorum(nq, node);
    }
    Versioned entry = ((Outcome.Done) outcome).entry();
    return delete ? Reply.deleted(entry, node) : Reply.entry(key, entry, node);
  }

  static Reply tooLarge(String node) {
    return Reply.error(
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        "value too large (expected: at most " + MAX_VALUE_BYTES + " bytes)",
        node);
  }

  private static String first(Map<String, List<String>> params, String name, String otherwise) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? otherwise : values.get(0);
  }

  private CompletableFuture<Reply> notAllowed(String allow) {
    Reply r = Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed", node);
    return done(new Reply(r.status(), r.body(), Map.of("Allow", allow)));
  }

  private static CompletableFuture<Reply> done(Reply r) {
    return CompletableFuture.completedFuture(r);
  }
}
