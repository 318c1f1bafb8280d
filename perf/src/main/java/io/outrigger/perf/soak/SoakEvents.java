package io.outrigger.perf.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code perf/soak} did and when, read from its {@code events.tsv} (epoch ms, event, detail):
 * {@code flap_down} / {@code flap_up} (the flapping upstream killed and started again), {@code
 * cp_down} / {@code cp_up}, {@code certs_rotated}, {@code routes_changed}.
 */
record SoakEvents(List<Event> events) {
  /** One event. */
  record Event(long epochMs, String name, String detail) {}

  /** A time span, both ends in epoch ms. */
  record Window(long fromMs, long toMs) {
    boolean contains(long ms) {
      return ms >= fromMs && ms <= toMs;
    }
  }

  static SoakEvents read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        String[] f = line.split("\t", 3);
        if (f.length >= 2 && f[0].chars().allMatch(Character::isDigit) && !f[0].isEmpty()) {
          events.add(new Event(Long.parseLong(f[0]), f[1], f.length > 2 ? f[2] : ""));
        }
      }
    }
    return new SoakEvents(List.copyOf(events));
  }

  /**
   * The spans from each {@code down} event to the next {@code up} event plus {@code graceMs} (to
   * the end of time when it never came back).
   */
  List<Window> windows(String down, String up, long graceMs) {
    List<Window> windows = new ArrayList<>();
    Long from = null;
    for (Event e : events) {
      if (e.name().equals(down) && from == null) {
        from = e.epochMs();
      } else if (e.name().equals(up) && from != null) {
        windows.add(new Window(from, e.epochMs() + graceMs));
        from = null;
      }
    }
    if (from != null) {
      windows.add(new Window(from, Long.MAX_VALUE));
    }
    return windows;
  }

  /** How many times each event happened. */
  Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    events.forEach(e -> counts.merge(e.name(), 1L, Long::sum));
    return counts;
  }

  /** The events within {@code ms} of {@code at}, as "name (+1.2 s)". */
  List<String> near(long at, long ms) {
    return events.stream()
        .filter(e -> Math.abs(e.epochMs() - at) <= ms)
        .map(e -> "%s (%+.1f s)".formatted(e.name(), (at - e.epochMs()) / 1000.0))
        .toList();
  }
}
