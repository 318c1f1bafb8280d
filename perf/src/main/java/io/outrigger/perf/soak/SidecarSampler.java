package io.outrigger.perf.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * One look at the sidecar: its resident memory and open file descriptors from {@code /proc}, its
 * event-loop queues, heap and connections from the admin server's {@code /stats/prometheus}, and
 * its sync state from the control plane's {@code /v1/status}. A source that does not answer gives
 * NaN (or {@code CP_DOWN}), never an exception: the soak goes on.
 */
final class SidecarSampler {
  /** One look. Memory in KiB, heap in MiB; NaN where the source did not answer. */
  record Sample(
      long epochMs,
      double rssKib,
      double fds,
      double threads,
      double pendingWorker,
      double pendingAdmin,
      double heapUsedMib,
      double heapCommittedMib,
      double downstreamCxActive,
      double upstreamCxActive,
      double controlPlaneConnected,
      String sync,
      double cpuSeconds,
      double runQueueSeconds,
      double machineLoad) {}

  /** {@code getconf CLK_TCK}: 100 on every Linux this runs on. */
  private static final int CLOCK_TICKS = 100;

  private final long pid;
  private final URI stats;
  private final URI controlPlaneStatus;
  private final String apiToken;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  SidecarSampler(long pid, URI admin, URI controlPlane, String apiToken) {
    this.pid = pid;
    this.stats = admin.resolve("/stats/prometheus");
    this.controlPlaneStatus = controlPlane.resolve("/v1/status");
    this.apiToken = apiToken;
  }

  Sample sample() {
    String text = get(stats, null);
    String status = get(controlPlaneStatus, apiToken);
    return new Sample(
        System.currentTimeMillis(),
        procStatus("VmRSS:"),
        fds(),
        procStatus("Threads:"),
        PromText.sum(text, "server_event_loop_pending_tasks", "group=\"worker\""),
        PromText.sum(text, "server_event_loop_pending_tasks", "group=\"admin\""),
        PromText.sum(text, "jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20),
        PromText.sum(text, "jvm_memory_committed_bytes", "area=\"heap\"") / (1 << 20),
        // Envoy's exposition (the default) scopes them: envoy_listener_… and envoy_cluster_….
        PromText.first(text, "listener_downstream_cx_active", "downstream_cx_active"),
        PromText.first(text, "cluster_upstream_cx_active", "upstream_cx_active"),
        PromText.first(text, "control_plane_connected_state"),
        status.isEmpty() ? "CP_DOWN" : ControlPlaneStatus.summarize(status),
        cpuSeconds(),
        runQueueSeconds(),
        firstNumber(Path.of("/proc/loadavg")));
  }

  /** The sidecar's user and system CPU time so far ({@code /proc/PID/stat} fields 14 and 15). */
  private double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which may hold spaces, start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * How long the sidecar's threads have waited for a CPU, runnable but not running, so far: the
   * second field of each {@code /proc/PID/task/TID/schedstat}, summed. It tells a sidecar starved
   * by the machine from one that stalls by itself.
   */
  private double runQueueSeconds() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks
              .mapToLong(
                  t -> {
                    try {
                      return Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[1]);
                    } catch (IOException | RuntimeException e) {
                      return 0; // a thread that ended meanwhile
                    }
                  })
              .sum()
          / 1e9;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double firstNumber(Path file) {
    try {
      return Double.parseDouble(Files.readString(file).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private double procStatus(String key) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
      return lines
          .filter(l -> l.startsWith(key))
          .mapToDouble(l -> Double.parseDouble(l.substring(key.length()).trim().split("\\s+")[0]))
          .findFirst()
          .orElse(Double.NaN);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private double fds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The body of a 200, or "" for anything else. */
  private String get(URI uri, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
