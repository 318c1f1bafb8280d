package io.outrigger.api.model.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.model.accesslog.FormatString.Literal;
import io.outrigger.api.model.accesslog.FormatString.Operator;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AccessLogFormatStringTest {
  @Test
  void splitsLiteralsAndOperators() {
    FormatString fs = FormatString.parse("[%START_TIME%] %REQ(X-Foo?:Path):10% x\n");

    assertThat(fs.segments())
        .containsExactly(
            new Literal("["),
            new Operator(Command.START_TIME, "", "", OptionalInt.empty()),
            new Literal("] "),
            new Operator(Command.REQ, "x-foo", ":path", OptionalInt.of(10)),
            new Literal(" x\n"));
    assertThat(fs.isSingleOperator()).isFalse();
    assertThat(FormatString.parse("%DURATION%").isSingleOperator()).isTrue();
  }

  @Test
  void parsesEveryOperatorOfTheDefaultFormat() {
    FormatString fs = FormatString.parse(AccessLogFormat.DEFAULT_FORMAT);

    assertThat(fs.segments().stream().filter(s -> s instanceof Operator).count()).isEqualTo(15);
  }

  @Test
  void refusesWhatEnvoyRefuses() {
    assertThatThrownBy(() -> FormatString.parse("%FOO%"))
        .hasMessageStartingWith("unknown command operator %FOO% (supported: ");
    assertThatThrownBy(() -> FormatString.parse("a % b"))
        .hasMessage("no valid command operator at position 2 of \"a % b\"");
    assertThatThrownBy(() -> FormatString.parse("%REQ%"))
        .hasMessage("command operator %REQ%: REQ requires a header name");
    assertThatThrownBy(() -> FormatString.parse("%REQ(a?b?c)%"))
        .hasMessage("command operator %REQ(a?b?c)%: more than 1 alternative header specified");
    assertThatThrownBy(() -> FormatString.parse("%BYTES_SENT:3%"))
        .hasMessage(
            "command operator %BYTES_SENT:3%: BYTES_SENT does not take any parameters or length");
  }
}
