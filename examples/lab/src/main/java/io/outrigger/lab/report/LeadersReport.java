package io.outrigger.lab.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.outrigger.lab.leader.Elections;

/**
 * The leader part of the report, for stores with a leader: {@code leaders} in {@code report.json}
 * and the "Leaders" section of {@code report.html}.
 */
final class LeadersReport {
  private LeadersReport() {}

  /** {@code report.json}'s {@code leaders}. */
  static JsonObject json(Elections e) {
    JsonObject o = new JsonObject();
    o.addProperty("poll_interval_ms", e.pollIntervalMillis());
    o.addProperty("changes", e.changes());
    JsonArray terms = new JsonArray();
    for (Elections.LeaderTerm t : e.leaderships()) {
      JsonObject j = new JsonObject();
      j.addProperty("time_ms", Json.millis(t.nanos()));
      j.addProperty("leader", t.leader());
      j.addProperty("term", t.term());
      j.addProperty("seen_by", t.seenBy());
      terms.add(j);
    }
    o.add("leaderships", terms);
    JsonArray elections = new JsonArray();
    for (Elections.WindowElection w : e.windows()) {
      JsonObject j = new JsonObject();
      j.addProperty("fault", w.window().description());
      j.addProperty("in_force_ms", Json.millis(w.inForceNanos()));
      j.addProperty("leader_before", w.leaderBefore());
      j.addProperty("leader_cut", w.leaderCut());
      j.addProperty("new_leader", w.newLeader());
      j.add("new_term", w.newLeader() == null ? JsonNull.INSTANCE : new JsonPrimitive(w.newTerm()));
      j.add(
          "election_ms",
          w.electionNanos() < 0
              ? JsonNull.INSTANCE
              : new JsonPrimitive(Json.millis(w.electionNanos())));
      elections.add(j);
    }
    o.add("elections", elections);
    return o;
  }

  /** The "Leaders" section. */
  static void html(StringBuilder h, Elections e) {
    h.append("<section><h2>Leaders</h2>");
    h.append(
        "<p class=\"meta\">Every node asked who leads every %d ms; %d leader change%s seen. An election time runs from the fault being in force to the first poll in which a majority of the nodes named the same new leader, so it is late by up to one poll.</p>"
            .formatted(e.pollIntervalMillis(), e.changes(), e.changes() == 1 ? "" : "s"));
    h.append("<table><tr><th>seen at</th><th>leader</th><th>term</th><th>first seen by</th></tr>");
    for (Elections.LeaderTerm t : e.leaderships()) {
      h.append(
          "<tr><td>%.3f s</td><td>%s</td><td>%d</td><td>%s</td></tr>"
              .formatted(
                  t.nanos() / 1e9, Html.escape(t.leader()), t.term(), Html.escape(t.seenBy())));
    }
    h.append("</table>");
    if (!e.windows().isEmpty()) {
      h.append(
          "<table><tr><th>fault</th><th>leader before</th><th>leader cut off</th><th>new"
              + " leader</th><th>election after the cut</th></tr>");
      for (Elections.WindowElection w : e.windows()) {
        h.append(
            "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                .formatted(
                    Html.escape(w.window().description()),
                    w.leaderBefore() == null ? "unknown" : Html.escape(w.leaderBefore()),
                    w.leaderCut() ? "yes" : "no",
                    w.newLeader() == null
                        ? "none while the fault held"
                        : Html.escape(w.newLeader()) + " (term " + w.newTerm() + ")",
                    w.electionNanos() < 0 ? "—" : "%.0f ms".formatted(w.electionNanos() / 1e6)));
      }
      h.append("</table>");
    }
    h.append("</section>");
  }
}
