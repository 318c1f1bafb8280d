package io.outrigger.lab.report;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.checker.Availability;
import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.checker.LinearizabilityResult;
import io.outrigger.lab.checker.StaleReads;
import io.outrigger.lab.checker.Validity;
import io.outrigger.lab.history.History;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.leader.Elections;
import java.time.Instant;
import java.util.List;

/**
 * Everything a run found, as written to {@code report.json} and {@code report.html}.
 *
 * @param linearizability the per-key verdicts; null in {@code ap} mode
 * @param staleReads null in the cp modes
 * @param convergence the local reads after the heal (in the cp modes informational only: a
 *     majority-quorum store may legitimately leave a minority replica behind)
 * @param nemesisErrors what the control plane refused or did not apply in time
 * @param store the adapter's name ({@code kvstore}, {@code etcd})
 * @param storeDescription the adapter's one-line description
 * @param interrupted whether the run was stopped early (its history ends there, no final reads)
 * @param elections what the leader watch saw; null for stores without a leader
 */
public record LabReport(
    String mode,
    String nemesis,
    long seed,
    List<String> nodes,
    List<String> keys,
    int clients,
    Instant startedAt,
    long durationMillis,
    long intervalMillis,
    History history,
    Availability availability,
    LinearizabilityResult linearizability,
    StaleReads staleReads,
    Convergence convergence,
    List<String> nemesisErrors,
    String store,
    String storeDescription,
    boolean interrupted,
    Elections elections) {

  /** The least availability an {@code ap} run must show to be valid. */
  public static final double AP_MIN_AVAILABILITY = 0.99;

  public LabReport {
    requireNonNull(mode, "mode");
    requireNonNull(history, "history");
    requireNonNull(availability, "availability");
    requireNonNull(convergence, "convergence");
    nodes = List.copyOf(nodes);
    keys = List.copyOf(keys);
    nemesisErrors = List.copyOf(nemesisErrors);
    requireNonNull(store, "store");
    requireNonNull(storeDescription, "storeDescription");
  }

  /**
   * The verdict. cp modes: the linearizability verdict (availability is reported, never judged: a
   * CP store may refuse whatever it likes). ap: valid iff the replicas converged after the heal and
   * at least {@link #AP_MIN_AVAILABILITY} of the client operations succeeded; stale reads are
   * reported, not judged, since an AP store is allowed them.
   */
  public Validity validity() {
    if (linearizability != null) {
      return linearizability.validity();
    }
    boolean available = availability.overall().value() >= AP_MIN_AVAILABILITY;
    return convergence.converged() && available ? Validity.VALID : Validity.INVALID;
  }

  /** How many client and final operations ended with {@code outcome}. */
  public long count(Outcome outcome) {
    return history.operations().stream().filter(op -> op.type() == outcome).count();
  }

  /** The client operations alone. */
  public List<Operation> clientOperations() {
    return history.clientOperations();
  }

  /** One line for a terminal. */
  public String summary() {
    String detail =
        linearizability != null
            ? "linearizable " + Json.validityText(linearizability.validity())
            : "converged %s in %d ms, %d stale reads"
                .formatted(
                    convergence.converged(),
                    convergence.convergenceMillis(),
                    staleReads == null ? 0 : staleReads.count());
    String leaders =
        elections == null
            ? ""
            : "; %d leader change%s"
                .formatted(elections.changes(), elections.changes() == 1 ? "" : "s");
    return "%s%s/%s: %s (ok %d, fail %d, info %d; availability %.1f%%, during faults %.1f%%; %s%s)%s"
        .formatted(
            store.equals("kvstore") ? "" : store + " ",
            mode,
            nemesis,
            validity(),
            count(Outcome.OK),
            count(Outcome.FAIL),
            count(Outcome.INFO),
            availability.overall().value() * 100,
            availability.duringFaults().value() * 100,
            detail,
            leaders,
            interrupted ? " INTERRUPTED: the history ends early" : "");
  }
}
