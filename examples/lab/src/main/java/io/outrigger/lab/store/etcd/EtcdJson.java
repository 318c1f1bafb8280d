package io.outrigger.lab.store.etcd;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of etcd's v3 gateway (grpc-gateway over the v3 API): request bodies and the parts of the
 * answers the lab reads. Keys and values travel base64-encoded; 64-bit numbers (revisions, member
 * ids, terms) travel as decimal strings, member ids beyond {@code Long.MAX_VALUE} included, so ids
 * stay strings here. Every parser returns empty for a body that is not what it expects.
 */
final class EtcdJson {
  private EtcdJson() {}

  /** A key or value as the gateway wants it. */
  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The text of a base64 field; null for null. */
  static String unbase64(String b64) {
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  /** {@code POST /v3/kv/put}'s body. */
  static String putBody(String key, String value) {
    JsonObject o = new JsonObject();
    o.addProperty("key", base64(key));
    o.addProperty("value", base64(value));
    return o.toString();
  }

  /** {@code POST /v3/kv/range}'s body for one key; {@code serializable} skips the quorum check. */
  static String rangeBody(String key, boolean serializable) {
    JsonObject o = new JsonObject();
    o.addProperty("key", base64(key));
    if (serializable) {
      o.addProperty("serializable", true);
    }
    return o.toString();
  }

  /** The {@code header} every successful answer carries. */
  record Header(String memberId, long revision, long raftTerm) {}

  /** An error answer: the gRPC status code and its message. */
  record GatewayError(int code, String message) {}

  /**
   * A range answer for one key.
   *
   * @param value the value, null when the key does not exist
   * @param modRevision the revision that last wrote the key, -1 when it does not exist
   */
  record RangeResult(Header header, String value, long modRevision) {}

  /** {@code /v3/maintenance/status}: {@code leader} is null while the member knows none. */
  record Status(Header header, String leader, long raftTerm, List<String> errors) {}

  /** One member of {@code /v3/cluster/member/list}. */
  record Member(String id, String name, List<String> clientUrls) {}

  static Optional<Header> header(String body) {
    return object(body).flatMap(EtcdJson::header);
  }

  static Optional<GatewayError> error(String body) {
    return object(body)
        .filter(o -> o.has("code") && o.get("code").isJsonPrimitive())
        .map(
            o ->
                new GatewayError(
                    o.get("code").getAsInt(),
                    text(o, "message").orElse(text(o, "error").orElse(""))));
  }

  static Optional<RangeResult> range(String body) {
    try {
      return parseRange(body);
    } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      return Optional.empty(); // not base64, not an object: not an answer of etcd's
    }
  }

  private static Optional<RangeResult> parseRange(String body) {
    Optional<JsonObject> o = object(body);
    Optional<Header> h = o.flatMap(EtcdJson::header);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    JsonArray kvs = o.get().has("kvs") ? o.get().getAsJsonArray("kvs") : new JsonArray();
    if (kvs.isEmpty()) {
      return Optional.of(new RangeResult(h.get(), null, -1));
    }
    JsonObject kv = kvs.get(0).getAsJsonObject();
    // etcd leaves out empty fields: a key written with an empty value has no "value".
    String value = unbase64(text(kv, "value").orElse(""));
    return Optional.of(new RangeResult(h.get(), value, number(kv, "mod_revision")));
  }

  static Optional<Status> status(String body) {
    Optional<JsonObject> o = object(body);
    Optional<Header> h = o.flatMap(EtcdJson::header);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    List<String> errors = new ArrayList<>();
    if (o.get().has("errors") && o.get().get("errors").isJsonArray()) {
      o.get().getAsJsonArray("errors").forEach(e -> errors.add(e.getAsString()));
    }
    String leader = text(o.get(), "leader").filter(l -> !l.equals("0")).orElse(null);
    return Optional.of(new Status(h.get(), leader, number(o.get(), "raftTerm"), errors));
  }

  static List<Member> members(String body) {
    List<Member> out = new ArrayList<>();
    Optional<JsonObject> o = object(body);
    if (o.isEmpty() || !o.get().has("members") || !o.get().get("members").isJsonArray()) {
      return out;
    }
    for (JsonElement e : o.get().getAsJsonArray("members")) {
      JsonObject m = e.getAsJsonObject();
      List<String> urls = new ArrayList<>();
      if (m.has("clientURLs")) {
        m.getAsJsonArray("clientURLs").forEach(u -> urls.add(u.getAsString()));
      }
      text(m, "ID").ifPresent(id -> out.add(new Member(id, text(m, "name").orElse(""), urls)));
    }
    return out;
  }

  private static Optional<Header> header(JsonObject o) {
    if (!o.has("header") || !o.get("header").isJsonObject()) {
      return Optional.empty();
    }
    JsonObject h = o.getAsJsonObject("header");
    return Optional.of(
        new Header(
            text(h, "member_id").orElse(null), number(h, "revision"), number(h, "raft_term")));
  }

  private static Optional<JsonObject> object(String body) {
    try {
      JsonElement e = JsonParser.parseString(body == null ? "" : body);
      return e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
    } catch (JsonParseException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonObject o, String field) {
    if (!o.has(field) || !o.get(field).isJsonPrimitive()) {
      return Optional.empty();
    }
    return Optional.of(o.get(field).getAsString());
  }

  private static long number(JsonObject o, String field) {
    try {
      return text(o, field).map(Long::parseLong).orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
