package io.outrigger.cli.mesh;

import java.io.IOException;

/**
 * The steps of {@code mesh up} that start something, and the undo that a SIGINT or SIGTERM runs
 * from a shutdown hook, one at a time. The hook runs while {@code mesh up}'s own thread goes on;
 * without this, that thread could start a process or record the mesh again right after the undo
 * stopped everything recorded and deleted the record, and the process would be left running. Once
 * undone, every further step is refused.
 */
final class StartSteps {
  /** A step: starts something in {@code mesh} and returns the mesh that records it. */
  interface Step {
    MeshState apply(MeshState mesh) throws IOException, MeshException;
  }

  /** What needs no new record (the network: its names are in the plan already). */
  interface Action {
    void run() throws IOException, MeshException;
  }

  private boolean undone;

  /** Runs {@code step} and records its result ({@code mesh.json}); refused once undone. */
  synchronized MeshState record(MeshState mesh, Step step) throws IOException, MeshException {
    checkNotUndone();
    MeshState next = step.apply(mesh);
    next.save();
    return next;
  }

  /** Runs {@code action}; refused once undone. */
  synchronized void run(Action action) throws IOException, MeshException {
    checkNotUndone();
    action.run();
  }

  /** Runs {@code undo} after the step under way, if any; no step runs after it. */
  synchronized void undo(Runnable undo) {
    undone = true;
    undo.run();
  }

  private void checkNotUndone() throws MeshException {
    if (undone) {
      throw new MeshException("mesh up was interrupted; what it had started is stopped");
    }
  }
}
