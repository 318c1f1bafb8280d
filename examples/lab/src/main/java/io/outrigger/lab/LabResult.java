package io.outrigger.lab;

import io.outrigger.lab.checker.Validity;
import io.outrigger.lab.report.LabReport;
import java.nio.file.Path;

/**
 * What {@link Lab#run} returns.
 *
 * @param validity the verdict (see {@code docs/partition-lab.md}: linearizability for cp modes;
 *     convergence and availability for ap)
 * @param reportJson {@code report.json}
 * @param reportHtml {@code report.html}
 * @param history {@code history.jsonl}
 * @param report everything the files hold, for callers that print a summary
 */
public record LabResult(
    Validity validity, Path reportJson, Path reportHtml, Path history, LabReport report) {

  /** True only for a proven valid run. */
  public boolean valid() {
    return validity == Validity.VALID;
  }

  /** One line for a terminal, e.g. {@code cp/isolate-one: VALID (ok 812, fail 96, info 4)}. */
  public String summary() {
    return report.summary();
  }
}
