package io.outrigger.cli.mesh;

/** A mesh could not be started, found or driven; the message says why and what to do. */
public final class MeshException extends Exception {
  public MeshException(String message) {
    super(message);
  }
}
