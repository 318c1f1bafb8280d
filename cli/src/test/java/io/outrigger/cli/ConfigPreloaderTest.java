package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.config.LoadedBootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap loaded while the command line is parsed is the command's own load, or nothing. */
class ConfigPreloaderTest {
  @TempDir Path dir;

  @Test
  void findsTheConfigFileAsPicocliSpellsIt() {
    assertThat(ConfigPreloader.configArgument(List.of("-c", "a.yaml")))
        .isEqualTo(Path.of("a.yaml"));
    assertThat(ConfigPreloader.configArgument(List.of("--concurrency", "1", "--config", "b.yaml")))
        .isEqualTo(Path.of("b.yaml"));
    assertThat(ConfigPreloader.configArgument(List.of("--config=c.yaml")))
        .isEqualTo(Path.of("c.yaml"));
    assertThat(ConfigPreloader.configArgument(List.of("--config"))).isNull();
    assertThat(ConfigPreloader.configArgument(List.of("--", "-c", "d.yaml"))).isNull();
    assertThat(ConfigPreloader.configArgument(List.of())).isNull();
  }

  @Test
  void startsNothingForHelpOrVersion() throws Exception {
    Path file = Files.writeString(dir.resolve("h.yaml"), ClassDataTraining.frontYaml(9000));
    ConfigPreloader.start(List.of("-c", file.toString(), "--help"), Map.of());
    assertThat(ConfigPreloader.take(file)).isNull();
    ConfigPreloader.start(List.of("-V"), Map.of());
    assertThat(ConfigPreloader.take(file)).isNull();

    assertThat(ConfigPreloader.asksForHelpOrVersion(List.of("-c", "a.yaml", "-h"))).isTrue();
    assertThat(ConfigPreloader.asksForHelpOrVersion(List.of("--version"))).isTrue();
    assertThat(ConfigPreloader.asksForHelpOrVersion(List.of("-c", "--help.yaml"))).isFalse();
    assertThat(ConfigPreloader.asksForHelpOrVersion(List.of("--", "--help"))).isFalse();
  }

  @Test
  void givesTheCommandThePreloadedBootstrapOfTheSameFile() throws Exception {
    Path file = Files.writeString(dir.resolve("sidecar.yaml"), ClassDataTraining.frontYaml(9000));
    ConfigPreloader.start(List.of("--config", file.toString()), Map.of());

    LoadedBootstrap preloaded = ConfigPreloader.take(file);

    assertThat(preloaded).isNotNull();
    assertThat(preloaded.proto()).isEqualTo(BootstrapLoader.load(file, Map.of()).proto());
    assertThat(preloaded.source()).isEqualTo(file.toString());
    // Taken once: a second take has nothing.
    assertThat(ConfigPreloader.take(file)).isNull();
  }

  @Test
  void givesNothingForAnotherFileOrWithoutAPreload() throws Exception {
    Path file = Files.writeString(dir.resolve("a.yaml"), ClassDataTraining.frontYaml(9000));
    assertThat(ConfigPreloader.take(file)).isNull();

    ConfigPreloader.start(List.of("-c", file.toString()), Map.of());
    assertThat(ConfigPreloader.take(dir.resolve("b.yaml"))).isNull();

    ConfigPreloader.start(List.of("--concurrency", "1"), Map.of());
    assertThat(ConfigPreloader.take(file)).isNull();
  }

  @Test
  void reportsARefusedBootstrapAsTheCommandsOwnLoadWould() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.yaml"),
            ClassDataTraining.frontYaml(9000).replace("connect_timeout: 1s", "connect_timeout: x"));
    String direct =
        org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> BootstrapLoader.load(file, Map.of()), ConfigException.class)
            .getMessage();
    ConfigPreloader.start(List.of("--config=" + file), Map.of());

    assertThatThrownBy(() -> ConfigPreloader.take(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(direct);
  }
}
