package io.outrigger.proxy.upstream.outlier;

/**
 * What happened on one attempt to a host, beyond its HTTP status; Envoy's {@code Outlier::Result}.
 * Local-origin results are failures the proxy saw itself (connect failure, timeout, reset);
 * external-origin results come from the host's answers.
 */
public enum OutlierResult {
  /** The connection to the host could not be opened. */
  LOCAL_ORIGIN_CONNECT_FAILED,
  /** The connection opened; the attempt may still fail later. */
  LOCAL_ORIGIN_CONNECT_SUCCESS,
  /** The host did not answer within the per-try or route timeout. */
  LOCAL_ORIGIN_TIMEOUT,
  /** The attempt completed with a good answer and no local-origin error. */
  LOCAL_ORIGIN_CONNECT_SUCCESS_FINAL,
  /** The host reset the stream or the connection before answering (a gateway failure). */
  EXT_ORIGIN_REQUEST_FAILED,
  /** The host answered. */
  EXT_ORIGIN_REQUEST_SUCCESS
}
