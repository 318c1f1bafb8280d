package io.outrigger.lab.workload;

import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.history.Version;

/**
 * Turns a store reply into an operation outcome. The rule that matters: a write is {@link
 * Outcome#FAIL} only when it certainly had no effect; whenever it may have reached a replica it is
 * {@link Outcome#INFO}, because calling a write that happened "failed" would make the checker
 * accuse a correct store.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>reply</th><th>read</th><th>write</th></tr>
 *   <tr><td>200</td><td>ok, the body's value</td><td>ok</td></tr>
 *   <tr><td>404 with a {@code key} in the body</td><td>ok, value null</td><td>fail</td></tr>
 *   <tr><td>503 outcome {@code not-applied}</td><td>fail</td><td>fail</td></tr>
 *   <tr><td>503 outcome {@code unknown} or none</td><td>fail</td><td>info</td></tr>
 *   <tr><td>other 5xx (a sidecar's 502/504...)</td><td>fail</td><td>info</td></tr>
 *   <tr><td>other 4xx (refused before anything happened)</td><td>fail</td><td>fail</td></tr>
 *   <tr><td>timeout, reset, closed connection</td><td>fail</td><td>info</td></tr>
 *   <tr><td>connection refused (nothing sent)</td><td>fail</td><td>fail</td></tr>
 * </table>
 *
 * <p>Reads never have an effect, so a read without an answer is simply a failure.
 */
public final class OutcomeMapping {
  /** The store's outcome word for a request that wrote nothing anywhere. */
  public static final String NOT_APPLIED = "not-applied";

  /** The mapped result. {@code value} is the written value for writes, the read value for reads. */
  public record Mapped(
      Outcome outcome, String value, String replica, Version version, String error) {}

  private OutcomeMapping() {}

  /** Maps {@code reply} to a {@code f} operation that wrote {@code written} (null for reads). */
  public static Mapped map(Fn f, String written, StoreReply reply) {
    // Java 17 has no pattern matching for switch yet.
    if (reply instanceof StoreReply.Failure failure) {
      return failed(f, written, failure);
    }
    return answered(f, written, (StoreReply.Answer) reply);
  }

  private static Mapped failed(Fn f, String written, StoreReply.Failure failure) {
    Outcome outcome = f == Fn.READ || failure.notSent() ? Outcome.FAIL : Outcome.INFO;
    return new Mapped(outcome, written, null, null, failure.error());
  }

  private static Mapped answered(Fn f, String written, StoreReply.Answer a) {
    int status = a.status();
    if (status == 200) {
      String value = f == Fn.READ ? a.value() : written;
      return new Mapped(Outcome.OK, value, a.replica(), a.version(), null);
    }
    if (status == 404 && a.hasKey() && f == Fn.READ) {
      return new Mapped(Outcome.OK, null, a.replica(), a.version(), null);
    }
    String error = status + (a.error() == null ? "" : " " + a.error());
    if (a.outcome() != null) {
      error += " (outcome " + a.outcome() + ")";
    }
    boolean mayHaveApplied = status >= 500 && !NOT_APPLIED.equals(a.outcome());
    Outcome outcome = f == Fn.WRITE && mayHaveApplied ? Outcome.INFO : Outcome.FAIL;
    return new Mapped(outcome, f == Fn.READ ? null : written, a.replica(), null, error);
  }
}
