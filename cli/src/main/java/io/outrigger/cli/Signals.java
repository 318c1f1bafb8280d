package io.outrigger.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a drain instead of the JVM's default exit, so that the process can
 * finish open connections and exit 0.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  static void onTerminate(Runnable drain) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            s -> {
              log.info("SIG{} received: draining", name);
              drain.run();
            });
      } catch (IllegalArgumentException e) {
        log.warn("cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
  }
}
