package io.outrigger.lab.store;

import static java.util.Objects.requireNonNull;

import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.history.Version;

/**
 * How one operation ended, as a {@link StoreAdapter} maps it.
 *
 * @param outcome ok, fail or info (see {@link StoreAdapter} for what each means)
 * @param value for a write the value written; for an ok read the value returned (null: no such key)
 * @param replica the replica or member that answered; null without an answer
 * @param version the version of the answer, null if the store gives none
 * @param error what went wrong, for fail and info; null for ok
 */
public record OpResult(
    Outcome outcome, String value, String replica, Version version, String error) {
  public OpResult {
    requireNonNull(outcome, "outcome");
  }
}
