package io.outrigger.cli.iptables;

/** Why the rules could not be read or written, in one line a person can act on. */
public final class IptablesException extends Exception {
  private static final long serialVersionUID = 1L;

  public IptablesException(String message) {
    super(message);
  }
}
