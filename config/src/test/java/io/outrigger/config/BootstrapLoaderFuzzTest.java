package io.outrigger.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.outrigger.api.validation.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Any text given as a bootstrap is loaded or refused with a {@link ConfigException} that names the
 * file: never another exception, never a hang (Jazzer's timeout). The committed inputs under {@code
 * BootstrapLoaderFuzzTestInputs} replay in every build; {@code mvn -Pfuzz} fuzzes.
 */
class BootstrapLoaderFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void anyTextLoadsOrIsRefusedWithAConfigException(byte[] data) {
    String yaml = new String(data, StandardCharsets.UTF_8);
    try {
      BootstrapLoader.load(yaml, "fuzz.yaml", Map.of("PORT", "8080"));
    } catch (ConfigException refused) {
      assertThat(refused.getMessage()).startsWith("fuzz.yaml");
    }
  }
}
