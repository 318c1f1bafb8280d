package io.outrigger.perf.soak;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every request that did not get a 2xx, as a line of {@code failures.tsv} (start in epoch ms,
 * latency, outcome, protocol, detail) and in memory for the report, which tells the injected ones
 * from the others by when they started.
 */
final class FailureLog implements AutoCloseable {
  /** One request that did not get a 2xx. */
  record Failure(long startMs, long latencyMs, String outcome, String detail) {
    /** When the client learned the request failed. */
    long endMs() {
      return startMs + latencyMs;
    }
  }

  private final BufferedWriter out;
  private final List<Failure> failures = new ArrayList<>();

  FailureLog(Path file) throws IOException {
    out = Files.newBufferedWriter(file);
    out.write("start_ms\tlatency_ms\toutcome\tprotocol\tdetail\n");
  }

  synchronized void add(
      long startMs, long latencyNanos, String outcome, HttpClient.Version version, String detail) {
    failures.add(new Failure(startMs, latencyNanos / 1_000_000, outcome, detail));
    try {
      out.write(
          "%d\t%.1f\t%s\t%s\t%s%n"
              .formatted(startMs, latencyNanos / 1e6, outcome, version, detail.replace('\t', ' ')));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
