package io.outrigger.cli.mesh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undo work that a SIGINT or SIGTERM would otherwise leave behind: the mesh's processes sit in
 * sessions of their own (so a Ctrl-C in the terminal does not reach them) and its namespaces
 * outlive any process, so a command that is interrupted while it owns them must stop them itself.
 * The action runs from a JVM shutdown hook, once, unless {@link #close()} came first.
 */
public final class OnInterrupt implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OnInterrupt.class);

  private final Thread hook;

  private OnInterrupt(String name, Runnable action) {
    this.hook =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (RuntimeException e) {
                log.warn("{}: {}", name, e.toString());
              }
            },
            name);
  }

  /** Runs {@code action} if the JVM exits (a signal, {@code System.exit}) before {@link #close}. */
  public static OnInterrupt run(String name, Runnable action) {
    OnInterrupt guard = new OnInterrupt(name, action);
    Runtime.getRuntime().addShutdownHook(guard.hook);
    return guard;
  }

  /** The work is done or handed over: the action no longer runs at exit. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is exiting already: the hook runs, or has run.
    }
  }
}
