package io.outrigger.proxy.upstream.outlier;

/**
 * The per-host half of outlier detection (Envoy's {@code DetectorHostMonitor}): the data path
 * reports each attempt's outcome here; the cluster's detector reads the counts on its timer and
 * decides about ejection.
 *
 * <p>Called from any event loop, once per attempt, and must not block or allocate on the common
 * path. The default for a cluster without {@code outlier_detection} is {@link #NOOP}.
 */
public interface OutlierMonitor {
  /** A monitor that records nothing: the cluster has no outlier detection. */
  OutlierMonitor NOOP =
      new OutlierMonitor() {
        @Override
        public void putHttpResponseCode(int code) {}

        @Override
        public void putResult(OutlierResult result) {}
      };

  /** The host answered with this status (external origin). */
  void putHttpResponseCode(int code);

  /** An outcome that has no status of its own: connect failure, timeout, reset, success. */
  void putResult(OutlierResult result);

  /**
   * The host's success rate (0..100) over the last interval in which it had enough requests for
   * success-rate or failure-percentage detection; -1 when it had not (and by default). Shown by
   * {@code /clusters}.
   */
  default double successRate() {
    return -1;
  }

  /** The same for local-origin results, with {@code split_external_local_origin_errors}; -1. */
  default double localOriginSuccessRate() {
    return -1;
  }
}
