package io.outrigger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code GET /v1/status} as a table, one proxy a row, like {@code istioctl
 * proxy-status}: each type's state, with the refusal of a NACK below the table.
 */
final class StatusTable {
  private static final String[] TYPES = {"CDS", "EDS", "LDS", "RDS"};

  private StatusTable() {}

  static String render(String statusJson) {
    JsonObject status = JsonParser.parseString(statusJson).getAsJsonObject();
    StringBuilder out = new StringBuilder();
    JsonObject config = status.getAsJsonObject("config");
    if (!config.get("state").getAsString().equals("OK")) {
      out.append("CONFIG REFUSED (last good snapshot still served): ")
          .append(config.getAsJsonObject("error").get("message").getAsString())
          .append("\n\n");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"NAME", "GROUP", "ADDRESS", "CDS", "EDS", "LDS", "RDS", "CONNECTED SINCE"});
    List<String> nacks = new ArrayList<>();
    for (JsonElement e : status.getAsJsonArray("proxies")) {
      JsonObject proxy = e.getAsJsonObject();
      JsonObject types = proxy.getAsJsonObject("types");
      String[] row = new String[8];
      row[0] = proxy.get("node_id").getAsString();
      row[1] = proxy.get("group").getAsString();
      row[2] = proxy.get("address").getAsString();
      for (int i = 0; i < TYPES.length; i++) {
        JsonObject t = types.getAsJsonObject(TYPES[i]);
        row[3 + i] = cell(t);
        if (!t.get("nack_error").isJsonNull()) {
          nacks.add(row[0] + " " + TYPES[i] + ": " + t.get("nack_error").getAsString());
        }
      }
      row[7] = proxy.get("connected_since").getAsString();
      rows.add(row);
    }
    out.append(TextTable.render(rows, 3));
    if (rows.size() == 1) {
      out.append("(no proxy connected)\n");
    }
    nacks.forEach(n -> out.append("NACK ").append(n).append('\n'));
    out.append(latency(status.getAsJsonObject("push_to_ack")));
    return out.toString();
  }

  /** {@code SYNCED (3f2a…)}, or the state alone when nothing was sent. */
  private static String cell(JsonObject t) {
    String state = t.get("state").getAsString();
    JsonElement sent = t.get("sent");
    return sent == null || sent.isJsonNull()
        ? state
        : state
            + " ("
            + sent.getAsString().substring(0, Math.min(8, sent.getAsString().length()))
            + ")";
  }

  private static String latency(JsonObject pushToAck) {
    StringBuilder out = new StringBuilder("\nPUSH TO ACK");
    for (String type : TYPES) {
      JsonObject t = pushToAck.getAsJsonObject(type);
      out.append("  ").append(type).append(' ');
      if (t.get("count").getAsLong() == 0) {
        out.append('-');
      } else {
        out.append(
            String.format(
                "p50 %.1f ms, p99 %.1f ms",
                t.get("p50_ms").getAsDouble(), t.get("p99_ms").getAsDouble()));
      }
    }
    return out.append('\n').toString();
  }

  /** For tests: the JSON array of proxies. */
  static JsonArray proxies(String statusJson) {
    return JsonParser.parseString(statusJson).getAsJsonObject().getAsJsonArray("proxies");
  }
}
