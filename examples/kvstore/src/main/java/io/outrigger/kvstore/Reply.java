package io.outrigger.kvstore;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/**
 * An HTTP answer before it is written: status, JSON body and extra headers. The factories build the
 * public API's shapes (docs/kvstore.md); every answer also carries {@code X-Outrigger-Replica},
 * added when it is written.
 *
 * @param status the status
 * @param body the JSON body
 * @param headers extra headers, e.g. {@code X-Outrigger-Version}
 */
record Reply(HttpResponseStatus status, JsonObject body, Map<String, String> headers) {
  static final String VERSION_HEADER = "X-Outrigger-Version";
  static final String OUTCOME_HEADER = "X-Outrigger-Outcome";

  Reply {
    requireNonNull(status, "status");
    requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /**
   * A key's answer: 200 with the value, or 404 for a key never written ({@code "version":null}) or
   * deleted ({@code "deleted":true} and the tombstone's version).
   */
  static Reply entry(String key, Versioned v, String replica) {
    JsonObject o = new JsonObject();
    o.addProperty("key", key);
    o.addProperty("value", v == null ? null : v.text());
    if (v != null && v.isTombstone()) {
      o.addProperty("deleted", true);
    }
    o.add("version", v == null ? JsonNull.INSTANCE : Wire.version(v.version()));
    o.addProperty("replica", replica);
    HttpResponseStatus status =
        v == null || v.isTombstone() ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK;
    return new Reply(
        status, o, v == null ? Map.of() : Map.of(VERSION_HEADER, v.version().toString()));
  }

  /** A delete's answer: 200 with {@code "deleted":true} and the tombstone's version. */
  static Reply deleted(Versioned tombstone, String replica) {
    Reply r = entry(tombstone.key(), tombstone, replica);
    return new Reply(HttpResponseStatus.OK, r.body, r.headers);
  }

  /** {@code GET /kv?prefix=P}: the local view of the live keys. */
  static Reply items(List<Versioned> entries, String replica) {
    JsonArray items = new JsonArray();
    for (Versioned v : entries) {
      JsonObject item = new JsonObject();
      item.addProperty("key", v.key());
      item.addProperty("value", v.text());
      item.add("version", Wire.version(v.version()));
      items.add(item);
    }
    JsonObject o = new JsonObject();
    o.addProperty("replica", replica);
    o.add("items", items);
    return new Reply(HttpResponseStatus.OK, o, Map.of());
  }

  /** 503 "no quorum" with the outcome, the acknowledgements and the majority. */
  static Reply noQuorum(Outcome.NoQuorum nq, String replica) {
    JsonObject o = new JsonObject();
    o.addProperty("error", "no quorum");
    o.addProperty("replica", replica);
    o.addProperty("outcome", nq.applied().label());
    o.addProperty("acks", nq.acks());
    o.addProperty("needed", nq.needed());
    return new Reply(
        HttpResponseStatus.SERVICE_UNAVAILABLE, o, Map.of(OUTCOME_HEADER, nq.applied().label()));
  }

  /** {@code {"error":"...","replica":"n1"}} with the given status. */
  static Reply error(HttpResponseStatus status, String message, String replica) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    o.addProperty("replica", replica);
    return new Reply(status, o, Map.of());
  }

  /** An internal call's answer: any JSON, 200. */
  static Reply ok(JsonObject body) {
    return new Reply(HttpResponseStatus.OK, body, Map.of());
  }
}
