package io.outrigger.lab.report;

import com.google.gson.JsonObject;
import io.outrigger.lab.history.FaultWindow;
import io.outrigger.lab.history.History;
import io.outrigger.lab.history.Operation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the history as Jepsen-style events, one JSON object per line, in time order: for each
 * operation an {@code invoke} event and a completion event ({@code ok}, {@code fail} or {@code
 * info}) sharing its {@code id}; for each fault window a nemesis {@code start} and {@code stop}
 * event. Times are {@code time_ms} since the run's start.
 */
public final class HistoryJsonl {
  private HistoryJsonl() {}

  private record Event(long nanos, int order, JsonObject json) {}

  /** Writes {@code history} to {@code file}, replacing it. */
  public static void write(History history, Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    for (Operation op : history.operations()) {
      JsonObject invoke = new JsonObject();
      invoke.addProperty("id", op.id());
      invoke.add("process", Json.process(op.process()));
      invoke.addProperty("type", "invoke");
      invoke.addProperty("f", op.f().wireName());
      invoke.addProperty("key", op.key());
      invoke.addProperty("value", op.isWrite() ? op.value() : null);
      invoke.addProperty("node", op.node());
      invoke.addProperty("time_ms", Json.millis(op.startNanos()));
      events.add(new Event(op.startNanos(), 1, invoke));
      JsonObject done = Json.operation(op);
      done.remove("start_ms");
      done.remove("end_ms");
      done.addProperty("time_ms", Json.millis(op.endNanos()));
      events.add(new Event(op.endNanos(), 2, done));
    }
    for (FaultWindow w : history.faults()) {
      events.add(new Event(w.startNanos(), 0, nemesis("start", w, w.startNanos())));
      events.add(new Event(w.endNanos(), 0, nemesis("stop", w, w.endNanos())));
    }
    events.sort(Comparator.comparingLong(Event::nanos).thenComparingInt(Event::order));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Event e : events) {
        out.write(Json.COMPACT.toJson(e.json()));
        out.write('\n');
      }
    }
  }

  private static JsonObject nemesis(String f, FaultWindow w, long nanos) {
    JsonObject o = new JsonObject();
    o.addProperty("process", "nemesis");
    o.addProperty("type", "info");
    o.addProperty("f", f);
    o.addProperty("value", w.description());
    o.addProperty("time_ms", Json.millis(nanos));
    return o;
  }
}
