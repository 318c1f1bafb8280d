package io.outrigger.lab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.lab.history.Fn;
import io.outrigger.lab.history.Outcome;
import io.outrigger.lab.history.Version;
import org.junit.jupiter.api.Test;

class OutcomeMappingTest {
  private static StoreReply.Answer answer(
      int status, String value, boolean hasKey, String outcome) {
    return new StoreReply.Answer(
        status,
        value,
        hasKey,
        "n2",
        status == 200 ? new Version(7, "n1") : null,
        outcome,
        status == 200 ? null : "boom");
  }

  @Test
  void okWriteKeepsTheWrittenValueAndTheAnsweringReplica() {
    OutcomeMapping.Mapped m = OutcomeMapping.map(Fn.WRITE, "c1-1", answer(200, "c1-1", true, null));
    assertThat(m.outcome()).isEqualTo(Outcome.OK);
    assertThat(m.value()).isEqualTo("c1-1");
    assertThat(m.replica()).isEqualTo("n2");
    assertThat(m.version()).isEqualTo(new Version(7, "n1"));
  }

  @Test
  void okReadReturnsTheBodyValue() {
    assertThat(OutcomeMapping.map(Fn.READ, null, answer(200, "c0-3", true, null)))
        .extracting(OutcomeMapping.Mapped::outcome, OutcomeMapping.Mapped::value)
        .containsExactly(Outcome.OK, "c0-3");
  }

  @Test
  void notFoundReadIsAnOkReadOfNothing() {
    assertThat(OutcomeMapping.map(Fn.READ, null, answer(404, null, true, null)))
        .extracting(OutcomeMapping.Mapped::outcome, OutcomeMapping.Mapped::value)
        .containsExactly(Outcome.OK, null);
  }

  @Test
  void notFoundWithoutAKeyIsAnErrorPageNotAnEmptyRegister() {
    assertThat(OutcomeMapping.map(Fn.READ, null, answer(404, null, false, null)).outcome())
        .isEqualTo(Outcome.FAIL);
  }

  @Test
  void noQuorumNotAppliedWriteFails() {
    OutcomeMapping.Mapped m =
        OutcomeMapping.map(Fn.WRITE, "c1-2", answer(503, null, false, "not-applied"));
    assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(m.error()).contains("503").contains("not-applied");
  }

  @Test
  void noQuorumUnknownWriteIsIndeterminate() {
    assertThat(OutcomeMapping.map(Fn.WRITE, "c1-2", answer(503, null, false, "unknown")).outcome())
        .isEqualTo(Outcome.INFO);
  }

  @Test
  void aProxyErrorOnAWriteIsIndeterminateButOnAReadAFailure() {
    assertThat(OutcomeMapping.map(Fn.WRITE, "c1-2", answer(504, null, false, null)).outcome())
        .isEqualTo(Outcome.INFO);
    assertThat(OutcomeMapping.map(Fn.READ, null, answer(503, null, false, "unknown")).outcome())
        .isEqualTo(Outcome.FAIL);
  }

  @Test
  void aRefusedRequestFails() {
    assertThat(OutcomeMapping.map(Fn.WRITE, "c1-2", answer(413, null, false, null)).outcome())
        .isEqualTo(Outcome.FAIL);
  }

  @Test
  void writeTimeoutIsIndeterminateReadTimeoutFails() {
    StoreReply timeout = new StoreReply.Failure(true, false, "timeout after 2000 ms");
    assertThat(OutcomeMapping.map(Fn.WRITE, "c1-2", timeout).outcome()).isEqualTo(Outcome.INFO);
    assertThat(OutcomeMapping.map(Fn.WRITE, "c1-2", timeout).value()).isEqualTo("c1-2");
    assertThat(OutcomeMapping.map(Fn.READ, null, timeout).outcome()).isEqualTo(Outcome.FAIL);
  }

  @Test
  void aWriteThatCouldNotConnectFails() {
    StoreReply refused = new StoreReply.Failure(false, true, "connect: refused");
    assertThat(OutcomeMapping.map(Fn.WRITE, "c1-2", refused).outcome()).isEqualTo(Outcome.FAIL);
  }
}
