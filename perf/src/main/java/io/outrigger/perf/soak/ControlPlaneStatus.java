package io.outrigger.perf.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar's sync state as the control plane's {@code GET /v1/status} shows it, in one word:
 * {@code SYNCED} when every type of every proxy is SYNCED (or NOT_SENT), else the first other state
 * ({@code STALE}, {@code NACKED}); {@code NO_PROXY} when no proxy is connected.
 */
final class ControlPlaneStatus {
  private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");

  private ControlPlaneStatus() {}

  static String summarize(String statusJson) {
    int proxies = statusJson.indexOf("\"proxies\"");
    if (proxies < 0) {
      return "NO_PROXY";
    }
    int end = statusJson.indexOf("\"push_to_ack\"", proxies);
    String part = statusJson.substring(proxies, end > proxies ? end : statusJson.length());
    List<String> states = new ArrayList<>();
    Matcher m = STATE.matcher(part);
    while (m.find()) {
      states.add(m.group(1));
    }
    if (states.isEmpty()) {
      return "NO_PROXY";
    }
    return states.stream()
        .filter(s -> !s.equals("SYNCED") && !s.equals("NOT_SENT"))
        .findFirst()
        .orElse("SYNCED");
  }
}
