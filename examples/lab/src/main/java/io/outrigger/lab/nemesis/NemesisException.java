package io.outrigger.lab.nemesis;

/** The control plane refused a fault request or could not be reached. */
public final class NemesisException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NemesisException(String message, Throwable cause) {
    super(message, cause);
  }
}
