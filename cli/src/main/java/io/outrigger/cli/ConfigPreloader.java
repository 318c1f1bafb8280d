package io.outrigger.cli;

import io.outrigger.config.BootstrapLoader;
import java.util.Map;

/**
 * Starts a sidecar's first piece of work on a second thread while the main thread parses the
 * command line and sets up logging: the descriptors of Envoy's API, the supported-field tables and
 * the JSON parser's reflection tables, by loading a sample bootstrap. None of it depends on the
 * command line. Most of a start to {@code /ready} is this kind of one-time initialisation, run by
 * the interpreter (docs/benchmarks.md#start-up).
 *
 * <p>The main thread {@link #await()}s it before it loads the real bootstrap, so protobuf's class
 * initialisers never run on two threads at once. A failure here is ignored: the real load reports
 * whatever is wrong.
 */
final class ConfigPreloader {
  private static volatile Thread thread;

  private ConfigPreloader() {}

  /** Starts the preload; called once by {@code main} when the subcommand is {@code proxy}. */
  static void start() {
    Thread t = new Thread(ConfigPreloader::preload, "outrigger-preload");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Waits for the preload if one was started; returns at once otherwise. */
  static void await() {
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void preload() {
    try {
      BootstrapLoader.load(ClassDataTraining.frontYaml(1), "preload", Map.of());
    } catch (Exception | LinkageError e) {
      // The real bootstrap's load meets the same problem and reports it.
    }
  }
}
