package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MeshProcessesTest {
  @Test
  void passesOnTheArchiveThisJvmMapsToBeMappedWhereItWasWrittenFor() {
    assertThat(
            MeshProcesses.sharedArchive(
                List.of("-Xmx128m", "-XX:SharedArchiveFile=/opt/o/outrigger.jsa", "-Xss1m")))
        .containsExactly(
            "-XX:SharedArchiveFile=/opt/o/outrigger.jsa",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");
  }

  @Test
  void passesOnNoneWhenThisJvmMapsNone() {
    assertThat(MeshProcesses.sharedArchive(List.of("-Xmx128m", "-XX:+UseSerialGC"))).isEmpty();
    assertThat(
            MeshProcesses.sharedArchive(
                List.of("-XX:SharedArchiveFile=/opt/o/outrigger.jsa", "-Xshare:off")))
        .as("sharing switched off")
        .isEmpty();
  }
}
