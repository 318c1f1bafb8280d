package io.outrigger.lab.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.history.Version;
import io.outrigger.lab.store.OpResult;
import io.outrigger.lab.workload.StoreReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every shape of answer etcd's gateway (or a proxy in front of it) gives, read and write. */
class EtcdOutcomesTest {
  private static final String PUT_OK =
      "{\"header\":{\"cluster_id\":\"8570459336700167655\",\"member_id\":\"8645782499530242234\","
          + "\"revision\":\"7\",\"raft_term\":\"2\"}}";
  private static final String RANGE_HIT =
      "{\"header\":{\"member_id\":\"11539305337000706507\",\"revision\":\"9\",\"raft_term\":\"2\"},"
          + "\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"7\","
          + "\"version\":\"3\",\"value\":\"YzEtNA==\"}],\"count\":\"1\"}";
  private static final String RANGE_MISS =
      "{\"header\":{\"member_id\":\"11539305337000706507\",\"revision\":\"9\",\"raft_term\":\"2\"}}";

  private static String grpcError(int code, String message) {
    return "{\"error\":\"%s\",\"message\":\"%s\",\"code\":%d}".formatted(message, message, code);
  }

  @Test
  void anAcknowledgedWriteIsOkWithTheRevisionItCreated() {
    OpResult r = EtcdOutcomes.answered(Fn.WRITE, "c1-4", 200, PUT_OK, "n1");
    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.value()).isEqualTo("c1-4");
    assertThat(r.replica()).isEqualTo("n1");
    assertThat(r.version()).isEqualTo(new Version(7, "etcd"));
  }

  @Test
  void aReadReturnsTheDecodedValueAndItsModRevision() {
    OpResult r = EtcdOutcomes.answered(Fn.READ, null, 200, RANGE_HIT, "n2");
    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.value()).isEqualTo("c1-4");
    assertThat(r.version()).isEqualTo(new Version(7, "etcd"));
  }

  @Test
  void aReadOfAMissingKeyIsOkWithNil() {
    OpResult r = EtcdOutcomes.answered(Fn.READ, null, 200, RANGE_MISS, "n2");
    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.value()).isNull();
    assertThat(r.version()).isNull();
  }

  @ParameterizedTest(name = "{0} {2} -> write {3}")
  @CsvSource({
    "503, 14, etcdserver: request timed out, INFO",
    "503, 14, 'etcdserver: request timed out, possibly due to previous leader failure', INFO",
    "503, 14, 'etcdserver: request timed out, possibly due to connection lost', INFO",
    "503, 14, etcdserver: leader changed, INFO",
    "503, 14, etcdserver: no leader, INFO",
    "503, 14, etcdserver: server stopped, INFO",
    "500, 2, context deadline exceeded, INFO",
    "504, 4, context deadline exceeded, INFO",
    "408, 1, etcdserver: request cancelled, INFO",
    "500, 13, internal error, INFO",
    "409, 10, aborted, INFO",
    "500, 15, etcdserver: corrupt cluster, INFO",
    "400, 3, etcdserver: key is not provided, FAIL",
    "400, 3, etcdserver: request is too large, FAIL",
    "429, 8, etcdserver: too many requests, FAIL",
    "429, 8, etcdserver: mvcc: database space exceeded, FAIL",
    "400, 11, etcdserver: mvcc: required revision has been compacted, FAIL",
    "403, 7, etcdserver: permission denied, FAIL",
    "401, 16, etcdserver: invalid auth token, FAIL",
    "400, 9, etcdserver: authentication is not enabled, FAIL",
    "501, 12, unknown service, FAIL",
  })
  void writeErrorsAreIndeterminateUnlessEtcdRefusedBeforeRaft(
      int status, int code, String message, Outcome write) {
    String body = grpcError(code, message);
    OpResult w = EtcdOutcomes.answered(Fn.WRITE, "c2-9", status, body, "n3");
    assertThat(w.outcome()).isEqualTo(write);
    assertThat(w.value()).isEqualTo("c2-9");
    assertThat(w.error()).contains(message).contains(EtcdOutcomes.codeName(code));
    assertThat(EtcdOutcomes.answered(Fn.READ, null, status, body, "n3").outcome())
        .as("a read that failed had no effect")
        .isEqualTo(Outcome.FAIL);
  }

  @ParameterizedTest(name = "{0} without etcd's JSON -> write {1}")
  @CsvSource({"502, INFO", "503, INFO", "504, INFO", "408, INFO", "404, FAIL", "403, FAIL"})
  void aProxysAnswerIsJudgedByItsStatus(int status, Outcome write) {
    String body = "upstream connect error or disconnect/reset before headers";
    assertThat(EtcdOutcomes.answered(Fn.WRITE, "v", status, body, "n1").outcome()).isEqualTo(write);
    assertThat(EtcdOutcomes.answered(Fn.READ, null, status, body, "n1").outcome())
        .isEqualTo(Outcome.FAIL);
  }

  @Test
  void aTwoHundredWithoutEtcdsAnswerIsIndeterminateForAWriteAndFailedForARead() {
    assertThat(EtcdOutcomes.answered(Fn.WRITE, "v", 200, "<html>", "n1").outcome())
        .isEqualTo(Outcome.INFO);
    assertThat(EtcdOutcomes.answered(Fn.READ, null, 200, "<html>", "n1").outcome())
        .isEqualTo(Outcome.FAIL);
    assertThat(
            EtcdOutcomes.answered(
                    Fn.READ, null, 200, "{\"header\":{},\"kvs\":[{\"value\":\"%%\"}]}", "n1")
                .outcome())
        .as("a value that is not base64")
        .isEqualTo(Outcome.FAIL);
  }

  @Test
  void transportFailuresFailAWriteOnlyWhenNothingWasSent() {
    StoreReply.Failure timeout = new StoreReply.Failure(true, false, "timeout after 2000 ms");
    StoreReply.Failure reset = new StoreReply.Failure(false, false, "IOException: reset");
    StoreReply.Failure refused = new StoreReply.Failure(false, true, "connect: refused");
    StoreReply.Failure connectTimeout = new StoreReply.Failure(true, true, "connect timeout");
    assertThat(EtcdOutcomes.failed(Fn.WRITE, "v", timeout).outcome()).isEqualTo(Outcome.INFO);
    assertThat(EtcdOutcomes.failed(Fn.WRITE, "v", reset).outcome()).isEqualTo(Outcome.INFO);
    assertThat(EtcdOutcomes.failed(Fn.WRITE, "v", refused).outcome()).isEqualTo(Outcome.FAIL);
    assertThat(EtcdOutcomes.failed(Fn.WRITE, "v", connectTimeout).outcome())
        .isEqualTo(Outcome.FAIL);
    for (StoreReply.Failure f : new StoreReply.Failure[] {timeout, reset, refused}) {
      OpResult read = EtcdOutcomes.failed(Fn.READ, null, f);
      assertThat(read.outcome()).isEqualTo(Outcome.FAIL);
      assertThat(read.error()).isEqualTo(f.error());
    }
  }
}
