package io.outrigger.kvstore;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON of the replica-to-replica calls ({@code /internal/...}). Values travel as base64 so that
 * bytes survive exactly; the public API shows them as UTF-8 text.
 *
 * <pre>
 * entry:   {"key":"k","value":"base64"|null,"version":{"time":7,"replica":"n2"}|null}
 * entries: {"entries":[entry...]}
 * digest:  {"buckets":["hex",...]}   (64 buckets)
 * </pre>
 */
final class Wire {
  /** Nulls are written: the contract shows {@code "value":null}. */
  static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private Wire() {}

  static JsonObject version(Version v) {
    JsonObject o = new JsonObject();
    o.addProperty("time", v.time());
    o.addProperty("replica", v.replica());
    return o;
  }

  static Version version(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    JsonObject o = e.getAsJsonObject();
    return new Version(o.get("time").getAsLong(), o.get("replica").getAsString());
  }

  /** The internal form of what a replica holds for {@code key}; {@code v} may be null. */
  static JsonObject entry(String key, Versioned v) {
    JsonObject o = new JsonObject();
    o.addProperty("key", key);
    if (v == null || v.value() == null) {
      o.add("value", JsonNull.INSTANCE);
    } else {
      o.addProperty("value", Base64.getEncoder().encodeToString(v.value()));
    }
    o.add("version", v == null ? JsonNull.INSTANCE : version(v.version()));
    return o;
  }

  /** Reads an internal entry; null when the replica has never seen the key. */
  static Versioned entry(JsonObject o) {
    Version version = version(o.get("version"));
    if (version == null) {
      return null;
    }
    JsonElement value = o.get("value");
    byte[] bytes =
        value == null || value.isJsonNull()
            ? null
            : Base64.getDecoder().decode(value.getAsString());
    return new Versioned(o.get("key").getAsString(), bytes, version);
  }

  static byte[] entries(List<Versioned> list) {
    return bytes(entriesObject(list));
  }

  static JsonObject entriesObject(List<Versioned> list) {
    JsonArray a = new JsonArray();
    for (Versioned v : list) {
      a.add(entry(v.key(), v));
    }
    JsonObject o = new JsonObject();
    o.add("entries", a);
    return o;
  }

  static List<Versioned> entries(byte[] body) {
    List<Versioned> out = new ArrayList<>();
    JsonArray array = parse(body).getAsJsonArray("entries");
    if (array == null) {
      throw new IllegalArgumentException("entries: missing (expected: an array)");
    }
    for (JsonElement e : array) {
      Versioned v = entry(e.getAsJsonObject());
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  static JsonObject digest(long[] buckets) {
    JsonArray a = new JsonArray();
    for (long b : buckets) {
      a.add(Long.toHexString(b));
    }
    JsonObject o = new JsonObject();
    o.add("buckets", a);
    return o;
  }

  static long[] digest(byte[] body) {
    JsonArray a = parse(body).getAsJsonArray("buckets");
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Long.parseUnsignedLong(a.get(i).getAsString(), 16);
    }
    return out;
  }

  static JsonObject parse(byte[] body) {
    return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  static byte[] bytes(JsonElement e) {
    return GSON.toJson(e).getBytes(StandardCharsets.UTF_8);
  }
}
