package io.outrigger.lab.workload;

import io.outrigger.lab.history.Version;

/** What one request to a store replica came back with: an HTTP answer or a transport failure. */
public sealed interface StoreReply {
  /**
   * An HTTP answer.
   *
   * @param status the status code
   * @param value the body's {@code value} (null when absent or JSON null)
   * @param hasKey whether the body had a {@code key} field: a store answer about a key, as opposed
   *     to an error page (a 404 for an unknown path, a proxy's local reply)
   * @param replica {@code X-Outrigger-Replica} or the body's {@code replica}; null if neither
   * @param version {@code X-Outrigger-Version} or the body's {@code version}; null if neither
   * @param outcome {@code X-Outrigger-Outcome} or the body's {@code outcome}; null if neither
   * @param error the body's {@code error}, or a short form of the body when it was not JSON
   */
  record Answer(
      int status,
      String value,
      boolean hasKey,
      String replica,
      Version version,
      String outcome,
      String error)
      implements StoreReply {}

  /**
   * No answer.
   *
   * @param timedOut the per-operation timeout fired
   * @param notSent the connection could not even be opened, so the request surely had no effect
   * @param error what happened, for the history
   */
  record Failure(boolean timedOut, boolean notSent, String error) implements StoreReply {}
}
