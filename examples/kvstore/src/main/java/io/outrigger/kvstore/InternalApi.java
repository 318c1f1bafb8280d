package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/**
 * The replica-to-replica endpoints, reached by peers through the mesh like any other request:
 *
 * <ul>
 *   <li>{@code GET /internal/kv/{key}}: ABD's query; the held entry ({@link Wire} form, {@code
 *       "version":null} if never seen);
 *   <li>{@code PUT /internal/kv/{key}}: ABD's store; body an entry; answers what is held after;
 *   <li>{@code POST /internal/apply}: ap replication; body {@code {"entries":[...]}}; answers
 *       {@code {"applied":N}};
 *   <li>{@code GET /internal/digest}: the bucket digest for anti-entropy;
 *   <li>{@code POST /internal/sync/{bucket}}: one anti-entropy exchange; body the caller's entries
 *       of the bucket; answers the entries the caller lacks or holds older.
 * </ul>
 */
final class InternalApi {
  static final String PREFIX = "/internal/";

  private final String node;
  private final Storage storage;

  InternalApi(String node, Storage storage) {
    this.node = requireNonNull(node, "node");
    this.storage = requireNonNull(storage, "storage");
  }

  /** Answers a request whose decoded path starts with {@value #PREFIX}. */
  CompletableFuture<Reply> handle(HttpMethod method, String path, byte[] body) {
    String rest = path.substring(PREFIX.length());
    if (rest.startsWith("kv/")) {
      String key = rest.substring(3);
      if (method.equals(HttpMethod.GET)) {
        return storage.get(key).thenApply(v -> Reply.ok(Wire.entry(key, v)));
      }
      if (method.equals(HttpMethod.PUT)) {
        Versioned v = Wire.entry(Wire.parse(body));
        if (v == null || !v.key().equals(key)) {
          return bad("body: an entry of key \"" + key + "\" with a version");
        }
        return storage.apply(v).thenApply(held -> Reply.ok(Wire.entry(key, held)));
      }
      return notAllowed("GET, PUT");
    }
    if (rest.equals("apply")) {
      if (!method.equals(HttpMethod.POST)) {
        return notAllowed("POST");
      }
      return storage
          .applyAll(Wire.entries(body))
          .thenApply(
              n -> {
                JsonObject o = new JsonObject();
                o.addProperty("applied", n);
                return Reply.ok(o);
              });
    }
    if (rest.equals("digest")) {
      if (!method.equals(HttpMethod.GET)) {
        return notAllowed("GET");
      }
      return storage.digest().thenApply(d -> Reply.ok(Wire.digest(d)));
    }
    if (rest.startsWith("sync/")) {
      if (!method.equals(HttpMethod.POST)) {
        return notAllowed("POST");
      }
      int bucket;
      try {
        bucket = Integer.parseInt(rest.substring(5));
      } catch (NumberFormatException e) {
        bucket = -1;
      }
      if (bucket < 0 || bucket >= Storage.BUCKETS) {
        return bad("bucket: \"" + rest.substring(5) + "\" (expected: 0.." + (Storage.BUCKETS - 1));
      }
      return storage
          .syncBucket(bucket, Wire.entries(body))
          .thenApply(newer -> Reply.ok(Wire.entriesObject(newer)));
    }
    return CompletableFuture.completedFuture(
        Reply.error(HttpResponseStatus.NOT_FOUND, "no such path: " + path, node));
  }

  private CompletableFuture<Reply> bad(String message) {
    return CompletableFuture.completedFuture(
        Reply.error(HttpResponseStatus.BAD_REQUEST, message, node));
  }

  private CompletableFuture<Reply> notAllowed(String allow) {
    Reply r = Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed", node);
    return CompletableFuture.completedFuture(
        new Reply(r.status(), r.body(), java.util.Map.of("Allow", allow)));
  }
}
