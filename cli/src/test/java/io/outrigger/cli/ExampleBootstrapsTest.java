package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.config.BootstrapLoader;
import io.outrigger.config.LoadedBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bootstrap under {@code examples/} is accepted by the sidecar itself, not only by Envoy's
 * API: the same loader and translators as {@code outrigger proxy --config}. (The interception
 * sample once asked for {@code retry_on: 503}, which Envoy's API binds as a string and the sidecar
 * refuses.)
 */
class ExampleBootstrapsTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("outrigger.home", ".."), "examples");

  /**
   * The ports the front-proxy example reads from its environment ({@code ${VAR}} without default).
   */
  private static final Map<String, String> ENV = Map.of("API_PORT", "8081", "CANARY_PORT", "8082");

  static Stream<Path> bootstraps() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.toString().contains("/target/"))
          .filter(ExampleBootstrapsTest::isBootstrap)
          .sorted()
          .toList()
          .stream();
    }
  }

  private static boolean isBootstrap(Path f) {
    try {
      return Files.readString(f).contains("static_resources:");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("bootstraps")
  void theSidecarAcceptsTheExample(Path bootstrap) throws Exception {
    LoadedBootstrap loaded = BootstrapLoader.load(bootstrap, ENV);
    assertThat(loaded.config().listeners()).isNotEmpty();
  }

  @org.junit.jupiter.api.Test
  void thereAreExamplesToCheck() throws IOException {
    assertThat(bootstraps()).hasSizeGreaterThanOrEqualTo(3);
  }
}
