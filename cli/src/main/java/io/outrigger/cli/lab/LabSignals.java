package io.outrigger.cli.lab;

import io.outrigger.lab.StopSignal;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a lab run is going, the first SIGINT or SIGTERM asks it to stop early (the nemesis heals,
 * the report is written with what the history has, marked interrupted) instead of ending the JVM; a
 * second one is handled as before the run (by default: the JVM exits, running its shutdown hooks).
 * Closing puts the previous handlers back, so that what runs before and after the lab (a mesh
 * starting or stopping) keeps its own signal behaviour.
 */
final class LabSignals implements AutoCloseable {
  private static final Map<String, Integer> EXIT_STATUS = Map.of("INT", 130, "TERM", 143);

  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

  private LabSignals() {}

  /** Installs the handlers; {@code err} gets one line when a stop is requested. */
  static LabSignals stopOn(StopSignal stop, PrintWriter err) {
    LabSignals signals = new LabSignals();
    for (String name : EXIT_STATUS.keySet()) {
      try {
        Signal signal = new Signal(name);
        signals.previous.put(
            signal, Signal.handle(signal, s -> signals.handle(s, name, stop, err)));
      } catch (IllegalArgumentException e) {
        err.println("lab: cannot handle SIG" + name + ": " + e.getMessage());
      }
    }
    return signals;
  }

  private void handle(Signal s, String name, StopSignal stop, PrintWriter err) {
    if (stop.requestStop()) {
      err.println(
          "lab: SIG" + name + ": stopping early; healing and writing the report of the run so far");
      err.flush();
      return;
    }
    SignalHandler before = previous.get(s);
    if (before == SignalHandler.SIG_IGN) {
      return;
    }
    if (before == null || before == SignalHandler.SIG_DFL) {
      Runtime.getRuntime().exit(EXIT_STATUS.get(name));
    } else {
      before.handle(s);
    }
  }

  @Override
  public void close() {
    previous.forEach(Signal::handle);
  }
}
