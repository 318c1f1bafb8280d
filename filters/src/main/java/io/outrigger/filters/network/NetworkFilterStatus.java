package io.outrigger.filters.network;

/** What a network filter tells the chain about a new connection. */
public enum NetworkFilterStatus {
  /** The connection goes on to the next filter (in the end, the terminal filter). */
  CONTINUE,
  /**
   * The connection waits: nothing is read from it and the terminal filter does not see it until the
   * filter calls {@link NetworkFilterCallbacks#continueConnection()}, or it has been closed, reset
   * or held by the filter.
   */
  STOP_ITERATION
}
