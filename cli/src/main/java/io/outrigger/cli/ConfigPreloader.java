package io.outrigger.cli;

import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.config.LoadedBootstrap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads a sidecar's bootstrap on a second thread while the main thread parses the command line and
 * sets up logging. Most of a start to {@code /ready} is one-time work run by the interpreter
 * (building the descriptors of Envoy's API, the supported-field tables, the JSON parser, then the
 * bootstrap itself); none of it depends on anything but the file and the environment
 * (docs/operations.md#start-up).
 *
 * <p>{@code main} finds the file's name in the arguments with the same spellings picocli accepts
 * ({@code -c FILE}, {@code --config FILE}, {@code --config=FILE}); without one it loads a sample
 * bootstrap, which still does the one-time work. {@link ProxyCommand} then {@link #take}s the
 * result for the path picocli parsed: the preloaded one only when it is for the same path, else
 * nothing, and the command loads the file itself. The preloaded result is the same {@link
 * BootstrapLoader#load(Path, Map)} of the same file with the same environment, its {@link
 * ConfigException} included, so what the command reports does not change. The main thread waits for
 * the preload before it loads anything itself, so protobuf's class initialisers never run on two
 * threads at once.
 */
final class ConfigPreloader {
  private static volatile Preload preload;

  private ConfigPreloader() {}

  /**
   * Starts the preload; {@code args} are the command's after {@code proxy}. Nothing starts when
   * they ask only for the help or the version, which load no bootstrap.
   */
  static void start(List<String> args, Map<String, String> env) {
    if (asksForHelpOrVersion(args)) {
      return;
    }
    Path file = configArgument(args);
    Preload p = new Preload(file, env);
    Thread t = new Thread(p, "outrigger-preload");
    t.setDaemon(true);
    p.thread = t;
    preload = p;
    t.start();
  }

  /**
   * Waits for the preload if one was started, and returns its load of {@code file}, or {@code null}
   * when there was none, it was of another file, or it failed other than with a {@link
   * ConfigException} (the caller's own load then meets the problem and reports it).
   */
  static LoadedBootstrap take(Path file) throws ConfigException {
    Preload p = preload;
    if (p == null) {
      return null;
    }
    preload = null;
    try {
      p.thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (!Objects.equals(p.file, file)) {
      return null;
    }
    if (p.refused != null) {
      throw p.refused;
    }
    return p.loaded;
  }

  /** Whether {@code args} hold {@code -h}, {@code --help}, {@code -V} or {@code --version}. */
  static boolean asksForHelpOrVersion(List<String> args) {
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return true;
      }
    }
    return false;
  }

  /** The value of {@code -c}/{@code --config} in {@code args}, or {@code null}. */
  static Path configArgument(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("-c") || a.equals("--config")) && i + 1 < args.size()) {
        return Path.of(args.get(i + 1));
      }
      if (a.startsWith("--config=")) {
        return Path.of(a.substring("--config=".length()));
      }
      if (a.equals("--")) {
        break;
      }
    }
    return null;
  }

  private static final class Preload implements Runnable {
    final Path file;
    final Map<String, String> env;
    Thread thread;
    LoadedBootstrap loaded;
    ConfigException refused;

    Preload(Path file, Map<String, String> env) {
      this.file = file;
      this.env = env;
    }

    @Override
    public void run() {
      try {
        if (file == null) {
          BootstrapLoader.load(ClassDataTraining.frontYaml(1), "preload", Map.of());
        } else {
          loaded = BootstrapLoader.load(file, env);
        }
      } catch (ConfigException e) {
        refused = e;
      } catch (RuntimeException | LinkageError e) {
        // Left to the command's own load, which reports it.
        loaded = null;
      }
    }
  }
}
