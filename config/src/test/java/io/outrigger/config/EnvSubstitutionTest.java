package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
  private static final Map<String, String> ENV = Map.of("HOST", "10.0.0.1", "EMPTY", "");

  @Test
  void substitutesSetVariablesAndDefaults() {
    assertThat(EnvSubstitution.substitute("${HOST}:${PORT:-8080}", ENV)).isEqualTo("10.0.0.1:8080");
    assertThat(EnvSubstitution.substitute("${EMPTY:-fallback}", ENV)).isEqualTo("fallback");
    assertThat(EnvSubstitution.substitute("${EMPTY}", ENV)).isEmpty();
  }

  @Test
  void keepsDollarsThatAreNotExpressions() {
    assertThat(EnvSubstitution.substitute("$$HOST costs $5", ENV)).isEqualTo("$HOST costs $5");
    assertThat(EnvSubstitution.substitute("${HOST:-$$}", Map.of())).isEqualTo("$$");
  }

  @Test
  void refusesUnsetVariableAndMalformedExpressions() {
    assertThatThrownBy(() -> EnvSubstitution.substitute("${PORT}", ENV))
        .hasMessage("environment variable \"PORT\" is not set (and no default: ${PORT:-...})");
    assertThatThrownBy(() -> EnvSubstitution.substitute("${HOST", ENV))
        .hasMessage("unterminated \"${\" (expected: ${VAR} or ${VAR:-default})");
    assertThatThrownBy(() -> EnvSubstitution.substitute("${1X}", ENV))
        .hasMessage("invalid variable name \"1X\" in \"${1X}\"");
  }
}
