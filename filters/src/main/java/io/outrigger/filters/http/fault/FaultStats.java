package io.outrigger.filters.http.fault;

import io.micrometer.core.instrument.Counter;
import io.outrigger.filters.stats.FilterMeters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's fault filter statistics ({@code http.<stat_prefix>.fault.*}), as {@code
 * fault_<name>{stat_prefix="..."}} with the connection manager's {@code stat_prefix}. Shared by the
 * filter-level settings and every per-route override, as in Envoy.
 */
final class FaultStats {
  final Counter delaysInjected;
  final Counter abortsInjected;
  final Counter faultsOverflow;
  final AtomicLong activeFaults;

  FaultStats(FilterMeters meters, String statPrefix) {
    delaysInjected =
        meters.counter(
            "fault_delays_injected",
            "Requests delayed by the fault filter",
            "stat_prefix",
            statPrefix);
    abortsInjected =
        meters.counter(
            "fault_aborts_injected",
            "Requests aborted by the fault filter",
            "stat_prefix",
            statPrefix);
    faultsOverflow =
        meters.counter(
            "fault_faults_overflow",
            "Faults not injected because max_active_faults was reached",
            "stat_prefix",
            statPrefix);
    activeFaults =
        meters.gauge(
            "fault_active_faults", "Requests with a fault in progress", "stat_prefix", statPrefix);
  }
}
