package io.outrigger.controlplane.xds;

/** Where a proxy stands with one resource type, as {@code GET /v1/status} shows it. */
public enum SyncState {
  /**
   * It acknowledged the version its group is published at; or it never subscribed to the type and
   * is SYNCED on every type it did subscribe to (a proxy with only {@code tcp_proxy} listeners has
   * no RDS).
   */
  SYNCED,
  /** It was sent a version and has not acknowledged the current one yet. */
  STALE,
  /** It refused the last version sent (a NACK); it keeps its last good one. */
  NACKED,
  /**
   * Nothing of this type has been sent to it: it subscribed and waits, or it has not subscribed
   * while some type it did subscribe to is not SYNCED yet.
   */
  NOT_SENT
}
