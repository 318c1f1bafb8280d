package io.outrigger.lab;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.nemesis.NemesisKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How to run an experiment.
 *
 * @param mode the store's mode, which decides what is checked: {@code cp} and {@code cp-unsafe}
 *     (linearizability per key), {@code ap} (availability, stale reads, convergence)
 * @param nemesis {@code isolate-one}, {@code halves}, {@code bridge}, {@code flaky-links} or {@code
 *     none}
 * @param clients concurrent clients (default 5)
 * @param keys keys the clients use (default 4); each run uses fresh key names
 * @param duration how long the clients run (default 30 s)
 * @param interval the nemesis period: a fault lasts one interval, the heal after it one interval
 *     (default 5 s)
 * @param opTimeout when a client gives up on an operation (default 2 s, longer than the store's 1 s
 *     request deadline so that a store's 503 is seen rather than guessed)
 * @param seed seeds every random choice (clients, nemesis)
 * @param reportDir where {@code report.json}, {@code report.html} and {@code history.jsonl} go;
 *     created if missing
 */
public record LabOptions(
    String mode,
    String nemesis,
    int clients,
    int keys,
    Duration duration,
    Duration interval,
    Duration opTimeout,
    long seed,
    Path reportDir) {

  private static final Set<String> MODES = Set.of("cp", "cp-unsafe", "ap");

  public LabOptions {
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException(
          "mode: %s (expected: cp, cp-unsafe or ap)".formatted(mode));
    }
    NemesisKind.parse(nemesis);
    if (clients < 1 || clients > 256) {
      throw new IllegalArgumentException("clients: %s (expected: 1..256)".formatted(clients));
    }
    if (keys < 1) {
      throw new IllegalArgumentException("keys: %s (expected: >= 1)".formatted(keys));
    }
    positive("duration", duration);
    positive("interval", interval);
    positive("opTimeout", opTimeout);
    requireNonNull(reportDir, "reportDir");
  }

  /** The defaults of {@code outrigger lab run}, with the given mode, nemesis and report folder. */
  public static LabOptions defaults(String mode, String nemesis, Path reportDir) {
    return new LabOptions(
        mode,
        nemesis,
        5,
        4,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        System.nanoTime(),
        reportDir);
  }

  /** The nemesis as an enum. */
  public NemesisKind nemesisKind() {
    return NemesisKind.parse(nemesis);
  }

  /** True for the modes checked for linearizability. */
  public boolean linearizabilityMode() {
    return !mode.equals("ap");
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, d));
    }
  }
}
