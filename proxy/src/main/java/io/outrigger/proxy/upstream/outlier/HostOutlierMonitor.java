package io.outrigger.proxy.upstream.outlier;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.OutlierDetectionConfig;
import io.outrigger.proxy.upstream.Host;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One host's half of outlier detection (Envoy's {@code DetectorHostMonitorImpl}): the data path
 * reports each attempt here from any event loop; consecutive-error counters and success-rate
 * buckets are lock-free and the common path allocates nothing. When a consecutive counter reaches
 * its threshold, the {@link OutlierDetector} is told on its own thread.
 *
 * <p>Without {@code split_external_local_origin_errors}, local-origin results become the status
 * Envoy maps them to: connect failure 503, timeout 504, a reset by the host 500, success 200. With
 * it, they count apart, in their own consecutive counter and success rate, and only the host's
 * answers feed the 5xx, gateway and external success-rate detection.
 *
 * <p>The fields below the counters are the detector's bookkeeping of ejections, touched only on the
 * detector's thread.
 */
final class HostOutlierMonitor implements OutlierMonitor {
  private final Host host;
  private final OutlierDetectionConfig config;
  private final OutlierDetector detector;
  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGatewayFailure = new AtomicInteger();
  private final AtomicInteger consecutiveLocalOriginFailure = new AtomicInteger();
  final SuccessRateBuckets external = new SuccessRateBuckets();
  final SuccessRateBuckets localOrigin = new SuccessRateBuckets();

  // Detector thread only.
  int numEjections;
  int ejectTimeBackoff;
  long lastEjectionNanos;
  long lastUnejectionNanos;
  boolean unejectedOnce;
  long jitterNanos;
  // Read by /clusters from another thread.
  volatile double successRate = -1;
  volatile double localOriginSuccessRate = -1;

  HostOutlierMonitor(Host host, OutlierDetectionConfig config, OutlierDetector detector) {
    this.host = requireNonNull(host, "host");
    this.config = requireNonNull(config, "config");
    this.detector = requireNonNull(detector, "detector");
  }

  Host host() {
    return host;
  }

  @Override
  public void putHttpResponseCode(int code) {
    boolean is5xx = code >= 500 && code < 600;
    external.record(!is5xx);
    if (!is5xx) {
      reset(consecutive5xx);
      reset(consecutiveGatewayFailure);
      return;
    }
    if (code >= 502 && code <= 504) {
      if (consecutiveGatewayFailure.incrementAndGet() == config.consecutiveGatewayFailure()) {
        detector.onConsecutiveError(this, EjectionType.CONSECUTIVE_GATEWAY_FAILURE);
      }
    } else {
      reset(consecutiveGatewayFailure);
    }
    if (consecutive5xx.incrementAndGet() == config.consecutive5xx()) {
      detector.onConsecutiveError(this, EjectionType.CONSECUTIVE_5XX);
    }
  }

  @Override
  public void putResult(OutlierResult result) {
    if (config.splitExternalLocalOriginErrors()) {
      putResultSplit(result);
    } else {
      putResultAsStatus(result);
    }
  }

  private void putResultAsStatus(OutlierResult result) {
    switch (result) {
      case EXT_ORIGIN_REQUEST_SUCCESS, LOCAL_ORIGIN_CONNECT_SUCCESS_FINAL ->
          putHttpResponseCode(200);
      case LOCAL_ORIGIN_TIMEOUT -> putHttpResponseCode(504);
      case LOCAL_ORIGIN_CONNECT_FAILED -> putHttpResponseCode(503);
      case EXT_ORIGIN_REQUEST_FAILED -> putHttpResponseCode(500);
      case LOCAL_ORIGIN_CONNECT_SUCCESS -> {
        // The connection opened; the answer that follows is reported on its own.
      }
    }
  }

  private void putResultSplit(OutlierResult result) {
    switch (result) {
      case LOCAL_ORIGIN_CONNECT_SUCCESS, LOCAL_ORIGIN_CONNECT_SUCCESS_FINAL -> localOriginSuccess();
      case LOCAL_ORIGIN_TIMEOUT, LOCAL_ORIGIN_CONNECT_FAILED -> localOriginFailure();
      case EXT_ORIGIN_REQUEST_FAILED -> putHttpResponseCode(503);
      case EXT_ORIGIN_REQUEST_SUCCESS -> {
        putHttpResponseCode(200);
        localOriginSuccess();
      }
    }
  }

  private void localOriginFailure() {
    localOrigin.record(false);
    if (consecutiveLocalOriginFailure.incrementAndGet() == config.consecutiveLocalOriginFailure()) {
      detector.onConsecutiveError(this, EjectionType.CONSECUTIVE_LOCAL_ORIGIN_FAILURE);
    }
  }

  private void localOriginSuccess() {
    localOrigin.record(true);
    reset(consecutiveLocalOriginFailure);
  }

  /** Writes only when needed, so that a healthy host's counters stay in a shared cache line. */
  private static void reset(AtomicInteger counter) {
    if (counter.get() != 0) {
      counter.set(0);
    }
  }

  void resetConsecutive(EjectionType type) {
    switch (type) {
      case CONSECUTIVE_5XX -> consecutive5xx.set(0);
      case CONSECUTIVE_GATEWAY_FAILURE -> consecutiveGatewayFailure.set(0);
      case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> consecutiveLocalOriginFailure.set(0);
      default -> {}
    }
  }

  void resetAllConsecutive() {
    consecutive5xx.set(0);
    consecutiveGatewayFailure.set(0);
    consecutiveLocalOriginFailure.set(0);
  }

  @Override
  public double successRate() {
    return successRate;
  }

  @Override
  public double localOriginSuccessRate() {
    return localOriginSuccessRate;
  }

  public int numEjections() {
    return numEjections;
  }
}
