package io.outrigger.proxy.admin;

/** Where the sidecar is in its life, as {@code /ready} reports it (Envoy's names). */
public enum ServerState {
  /** Starting: clusters initializing, listeners not yet bound. {@code /ready} answers 503. */
  PRE_INITIALIZING,
  /** Every listener bound and the initial config in. {@code /ready} answers 200. */
  LIVE,
  /** Listeners closed, open connections finishing. {@code /ready} answers 503. */
  DRAINING,
  /** Stopped. */
  TERMINATED
}
