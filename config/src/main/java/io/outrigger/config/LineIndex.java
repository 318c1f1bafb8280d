package io.outrigger.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each field path was written, so that a refusal found after binding (by a translator, which
 * sees only protos) can still name the line.
 */
final class LineIndex {
  private final Map<String, Integer> lines = new HashMap<>();

  void record(String path, int line) {
    lines.putIfAbsent(path, line);
  }

  /** The line of {@code path}, or of its nearest written ancestor; 0 when none is known. */
  int lineOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      p = parent(p);
    }
    return 0;
  }

  private static String parent(String path) {
    int cut = path.endsWith("]") ? path.lastIndexOf('[') : path.lastIndexOf('.');
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
