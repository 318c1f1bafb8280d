package io.outrigger.lab.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.outrigger.lab.checker.Availability;
import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.checker.KeyVerdict;
import io.outrigger.lab.checker.Ratio;
import io.outrigger.lab.checker.StaleReads;
import io.outrigger.lab.checker.Validity;
import io.outrigger.lab.checker.Witness;
import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.Map;
import java.util.TreeMap;

/** The JSON forms of {@code report.json}; field names are snake_case, times in milliseconds. */
public final class Json {
  /** Pretty-printing, nulls kept: the form of {@code report.json}. */
  public static final Gson GSON_PRETTY =
      new GsonBuilder().setPrettyPrinting().serializeNulls().create();

  static final Gson COMPACT = new GsonBuilder().serializeNulls().create();

  private Json() {}

  /** {@code report.json}'s whole document. */
  public static JsonObject report(LabReport r) {
    JsonObject o = new JsonObject();
    o.addProperty("mode", r.mode());
    o.addProperty("store", r.store());
    o.addProperty("store_description", r.storeDescription());
    o.addProperty("nemesis", r.nemesis());
    o.addProperty("interrupted", r.interrupted());
    o.add("valid", validity(r.validity()));
    o.addProperty("seed", r.seed());
    o.addProperty("started_at", r.startedAt().toString());
    o.addProperty("duration_ms", r.durationMillis());
    o.addProperty("interval_ms", r.intervalMillis());
    o.addProperty("clients", r.clients());
    o.add("nodes", COMPACT.toJsonTree(r.nodes()));
    o.add("keys", COMPACT.toJsonTree(r.keys()));
    JsonObject counts = new JsonObject();
    counts.addProperty("ok", r.count(Outcome.OK));
    counts.addProperty("fail", r.count(Outcome.FAIL));
    counts.addProperty("info", r.count(Outcome.INFO));
    counts.addProperty("total", r.history().operations().size());
    o.add("counts", counts);
    o.add("availability", availability(r.availability()));
    if (r.linearizability() != null) {
      o.add("linearizable", validity(r.linearizability().validity()));
      JsonArray keys = new JsonArray();
      r.linearizability().keys().forEach(k -> keys.add(keyVerdict(k)));
      o.add("key_verdicts", keys);
    }
    o.addProperty("converged", r.convergence().converged());
    long ms = r.convergence().convergenceMillis();
    o.add("convergence_ms", ms < 0 ? JsonNull.INSTANCE : new JsonPrimitive(ms));
    if (r.staleReads() != null) {
      o.addProperty("stale_reads", r.staleReads().count());
      o.add("stale_read_examples", staleExamples(r.staleReads()));
    }
    JsonArray faults = new JsonArray();
    r.history().faults().forEach(w -> faults.add(fault(w)));
    o.add("faults", faults);
    o.add(
        "witness",
        r.linearizability() == null
            ? JsonNull.INSTANCE
            : r.linearizability()
                .smallestWitness()
                .<JsonElement>map(Json::witness)
                .orElse(JsonNull.INSTANCE));
    o.add("final_reads", finalReads(r.convergence()));
    o.add("divergent_keys", COMPACT.toJsonTree(r.convergence().divergent()));
    o.add("nemesis_errors", COMPACT.toJsonTree(r.nemesisErrors()));
    if (r.elections() != null) {
      o.add("leaders", LeadersReport.json(r.elections()));
    }
    JsonObject files = new JsonObject();
    files.addProperty("html", "report.html");
    files.addProperty("history", "history.jsonl");
    o.add("files", files);
    return o;
  }

  /** One operation. */
  public static JsonObject operation(Operation op) {
    JsonObject o = new JsonObject();
    o.addProperty("id", op.id());
    o.add("process", process(op.process()));
    o.addProperty("type", op.type().wireName());
    o.addProperty("f", op.f().wireName());
    o.addProperty("key", op.key());
    o.addProperty("value", op.value());
    o.addProperty("node", op.node());
    o.addProperty("replica", op.replica());
    o.addProperty("version", op.version() == null ? null : op.version().toString());
    o.addProperty("start_ms", millis(op.startNanos()));
    o.addProperty("end_ms", millis(op.endNanos()));
    o.addProperty("error", op.error());
    return o;
  }

  static JsonElement process(int process) {
    return process == Operation.FINAL_PROCESS
        ? new JsonPrimitive("final")
        : new JsonPrimitive(process);
  }

  /** A witness: key, explanation, minimal, operations. */
  public static JsonObject witness(Witness w) {
    JsonObject o = new JsonObject();
    o.addProperty("key", w.key());
    o.addProperty("explanation", w.explanation());
    o.addProperty("minimal", w.minimal());
    JsonArray ops = new JsonArray();
    w.operations().forEach(op -> ops.add(operation(op)));
    o.add("operations", ops);
    return o;
  }

  static JsonElement validity(Validity v) {
    Object j = v.toJson();
    return j instanceof Boolean b ? new JsonPrimitive(b) : new JsonPrimitive((String) j);
  }

  static String validityText(Validity v) {
    return String.valueOf(v.toJson());
  }

  private static JsonObject availability(Availability a) {
    JsonObject o = new JsonObject();
    o.addProperty("overall", round(a.overall().value()));
    o.addProperty("during_faults", round(a.duringFaults().value()));
    o.add("overall_ops", ratio(a.overall()));
    o.add("during_faults_ops", ratio(a.duringFaults()));
    JsonArray windows = new JsonArray();
    for (Availability.WindowAvailability w : a.windows()) {
      JsonObject wo = new JsonObject();
      wo.addProperty("description", w.window().description());
      wo.addProperty("start_ms", millis(w.window().startNanos()));
      wo.addProperty("end_ms", millis(w.window().endNanos()));
      wo.addProperty("in_force_from_ms", millis(w.window().inForceFromNanos()));
      wo.addProperty("in_force_until_ms", millis(w.window().inForceUntilNanos()));
      wo.add("all", ratio(w.all()));
      JsonObject sides = new JsonObject();
      new TreeMap<>(w.bySide()).forEach((side, ratio) -> sides.add(side, ratio(ratio)));
      wo.add("sides", sides);
      windows.add(wo);
    }
    o.add("windows", windows);
    return o;
  }

  private static JsonObject ratio(Ratio r) {
    JsonObject o = new JsonObject();
    o.addProperty("ok", r.ok());
    o.addProperty("attempted", r.attempted());
    o.addProperty("availability", round(r.value()));
    return o;
  }

  private static JsonObject keyVerdict(KeyVerdict k) {
    JsonObject o = new JsonObject();
    o.addProperty("key", k.key());
    o.add("linearizable", validity(k.validity()));
    if (k instanceof KeyVerdict.Linearizable l) {
      o.addProperty("operations", l.operations());
      o.addProperty("steps", l.steps());
    } else if (k instanceof KeyVerdict.Unknown u) {
      o.addProperty("operations", u.operations());
      o.addProperty("steps", u.steps());
      o.addProperty("reason", "search budget of steps exhausted");
    } else {
      o.addProperty("witness_size", ((KeyVerdict.NotLinearizable) k).witness().operations().size());
    }
    return o;
  }

  private static JsonArray staleExamples(StaleReads s) {
    JsonArray out = new JsonArray();
    for (StaleReads.Example e : s.examples()) {
      JsonObject o = new JsonObject();
      o.add("read", operation(e.read()));
      o.add("missed_write", operation(e.missedWrite()));
      out.add(o);
    }
    return out;
  }

  static JsonObject fault(FaultWindow w) {
    JsonObject o = new JsonObject();
    o.addProperty("description", w.description());
    o.addProperty("start_ms", millis(w.startNanos()));
    o.addProperty("end_ms", millis(w.endNanos()));
    o.add("apply_ms", w.applyMillis() < 0 ? JsonNull.INSTANCE : new JsonPrimitive(w.applyMillis()));
    o.add("heal_ms", w.healMillis() < 0 ? JsonNull.INSTANCE : new JsonPrimitive(w.healMillis()));
    o.add("sides", COMPACT.toJsonTree(new TreeMap<>(w.sides())));
    return o;
  }

  private static JsonObject finalReads(Convergence c) {
    JsonObject o = new JsonObject();
    new TreeMap<>(c.finalReads())
        .forEach(
            (key, perNode) -> {
              JsonObject k = new JsonObject();
              for (Map.Entry<String, Convergence.LocalValue> e :
                  new TreeMap<>(perNode).entrySet()) {
                JsonObject v = new JsonObject();
                v.addProperty("value", e.getValue().value());
                v.addProperty("version", e.getValue().version());
                v.addProperty("error", e.getValue().error());
                k.add(e.getKey(), v);
              }
              o.add(key, k);
            });
    return o;
  }

  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
