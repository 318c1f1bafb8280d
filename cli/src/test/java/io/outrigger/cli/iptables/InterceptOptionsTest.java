package io.outrigger.cli.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Every refusal names the option and the value. */
class InterceptOptionsTest {
  private static InterceptOptions with(
      OptionalInt uid, List<String> inPorts, List<String> exclude, List<String> include) {
    return new InterceptOptions(
        15006, 15001, uid, OptionalInt.empty(), inPorts, List.of(), exclude, include);
  }

  @Test
  void anOwnerIsRequiredElseTheProxyWouldLoop() {
    assertThatThrownBy(() -> with(OptionalInt.empty(), List.of(), List.of(), List.of("*")))
        .hasMessageStartingWith("--proxy-uid or --proxy-gid is required");
  }

  @Test
  void portsAreSinglePortsOrAscendingRanges() {
    OptionalInt uid = OptionalInt.of(1);
    assertThat(with(uid, List.of("22", "8000:8100"), List.of(), List.of("*")).excludeInboundPorts())
        .containsExactly("22", "8000:8100");
    for (String bad : List.of("0", "65536", "http", "9000:8000", "1-2", "")) {
      assertThatThrownBy(() -> with(uid, List.of(bad), List.of(), List.of("*")))
          .hasMessage(
              "--exclude-inbound-ports: \"%s\" (expected: a port 1..65535 or a range like"
                  + " 8000:8100)",
              bad);
    }
  }

  @Test
  void cidrsAreIpv4AndABareAddressIsOneHost() {
    InterceptOptions o =
        with(OptionalInt.of(1), List.of(), List.of("10.1.2.3", "10.0.0.0/8"), List.of("*"));
    assertThat(o.excludeOutboundCidrs()).containsExactly("10.1.2.3/32", "10.0.0.0/8");
    assertThat(o.includeOutboundCidrs()).isEmpty();
    for (String bad : List.of("10.0.0.256", "10.0.0.0/33", "fd00::/8", "*", "example.com")) {
      assertThatThrownBy(() -> with(OptionalInt.of(1), List.of(), List.of(bad), List.of("*")))
          .hasMessageStartingWith("--exclude-outbound-cidrs: \"" + bad + "\"");
    }
    assertThatThrownBy(() -> with(OptionalInt.of(1), List.of(), List.of(), List.of("*", "10/8")))
        .hasMessageStartingWith("--include-outbound-cidrs: \"*\"");
  }

  @Test
  void theTwoPortsMustDiffer() {
    assertThatThrownBy(
            () ->
                new InterceptOptions(
                    15001,
                    15001,
                    OptionalInt.of(1),
                    OptionalInt.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of("*")))
        .hasMessageContaining("both 15001");
  }
}
