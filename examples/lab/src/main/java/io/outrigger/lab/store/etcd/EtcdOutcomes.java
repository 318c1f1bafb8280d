package io.outrigger.lab.store.etcd;

import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.history.Version;
import io.outrigger.lab.store.OpResult;
import io.outrigger.lab.workload.StoreReply;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what etcd's gateway answered into ok, fail or info, as etcd defines its outcomes. A read
 * changes nothing, so every read without a good answer is a failure. A write is a failure only when
 * etcd promises it was not applied: the request was refused before it reached Raft (a bad argument,
 * no permission, too many requests, no space, a compacted revision...), or nothing was sent. Every
 * other write error is indeterminate, because etcd may apply the proposal after it answered: {@code
 * etcdserver: request timed out} (and its variants), {@code leader changed}, {@code no leader},
 * {@code server stopped}, a deadline, a cancelled request, an internal error, a timeout or broken
 * connection on the lab's side, a proxy's 5xx.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>answer</th><th>read</th><th>write</th></tr>
 *   <tr><td>200 with a header</td><td>ok, the value (nil without kvs)</td><td>ok</td></tr>
 *   <tr><td>200 without etcd's JSON</td><td>fail</td><td>info</td></tr>
 *   <tr><td>gRPC code 3, 5-9, 11, 12, 16 (refused before Raft)</td><td>fail</td><td>fail</td></tr>
 *   <tr><td>gRPC code 1, 2, 4, 10, 13-15 (may apply later)</td><td>fail</td><td>info</td></tr>
 *   <tr><td>no gRPC code: 5xx or 408</td><td>fail</td><td>info</td></tr>
 *   <tr><td>no gRPC code: other 4xx</td><td>fail</td><td>fail</td></tr>
 *   <tr><td>timeout, reset, closed connection</td><td>fail</td><td>info</td></tr>
 *   <tr><td>connection refused, connect timeout</td><td>fail</td><td>fail</td></tr>
 * </table>
 *
 * <p>Versions are etcd's revisions: a write's {@code header.revision} is the revision it created,
 * which is the key's {@code mod_revision} that later reads return; both become {@code
 * <revision>.etcd}, so equal versions mean the same write on every member.
 */
final class EtcdOutcomes {
  /** What {@link Version#replica()} holds for etcd's revisions: one global counter. */
  static final String REVISION = "etcd";

  /**
   * gRPC codes with which etcd refuses a request before proposing it: INVALID_ARGUMENT, NOT_FOUND,
   * ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, OUT_OF_RANGE,
   * UNIMPLEMENTED, UNAUTHENTICATED.
   */
  static final Set<Integer> NOT_APPLIED = Set.of(3, 5, 6, 7, 8, 9, 11, 12, 16);

  private static final String[] CODE_NAMES = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED"
  };

  private EtcdOutcomes() {}

  /**
   * Maps an HTTP answer.
   *
   * @param written the value a write sent; null for reads
   * @param replica the member that answered, by lab node name
   */
  static OpResult answered(Fn f, String written, int status, String body, String replica) {
    if (status == 200) {
      return f == Fn.READ ? readOk(body, replica) : writeOk(written, body, replica);
    }
    Optional<EtcdJson.GatewayError> error = EtcdJson.error(body);
    String text =
        error
            .map(e -> "%d %s (grpc %s)".formatted(status, e.message(), codeName(e.code())))
            .orElse(status + " " + abbreviate(body));
    boolean notApplied =
        error
            .map(e -> NOT_APPLIED.contains(e.code()))
            .orElse(status >= 400 && status < 500 && status != 408);
    Outcome outcome = f == Fn.WRITE && !notApplied ? Outcome.INFO : Outcome.FAIL;
    return new OpResult(outcome, written, replica, null, text);
  }

  /** Maps a transport failure: only a request that was surely not sent fails a write. */
  static OpResult failed(Fn f, String written, StoreReply.Failure failure) {
    Outcome outcome = f == Fn.READ || failure.notSent() ? Outcome.FAIL : Outcome.INFO;
    return new OpResult(outcome, written, null, null, failure.error());
  }

  private static OpResult readOk(String body, String replica) {
    return EtcdJson.range(body)
        .map(
            r ->
                new OpResult(
                    Outcome.OK,
                    r.value(),
                    replica,
                    r.modRevision() < 0 ? null : new Version(r.modRevision(), REVISION),
                    null))
        .orElseGet(
            () -> new OpResult(Outcome.FAIL, null, replica, null, "200 " + abbreviate(body)));
  }

  private static OpResult writeOk(String written, String body, String replica) {
    return EtcdJson.header(body)
        .map(
            h ->
                new OpResult(
                    Outcome.OK,
                    written,
                    replica,
                    h.revision() < 0 ? null : new Version(h.revision(), REVISION),
                    null))
        .orElseGet(
            () ->
                new OpResult(
                    Outcome.INFO,
                    written,
                    replica,
                    null,
                    "200 without etcd's answer: " + abbreviate(body)));
  }

  static String codeName(int code) {
    return code >= 0 && code < CODE_NAMES.length ? CODE_NAMES[code] : Integer.toString(code);
  }

  private static String abbreviate(String text) {
    String s = text == null ? "" : text.strip();
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
