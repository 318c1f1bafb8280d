package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.ControlPlaneOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code outrigger cp …} in-process against a control plane on loopback; no process started. */
class CpCommandTest {
  static final String CLUSTER =
      """
      - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
        name: kv
        type: EDS
        eds_cluster_config: { eds_config: { ads: {} } }
      """;

  @TempDir Path dir;
  private ControlPlane cp;
  private String url;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("clusters.yaml"), "[]\n");
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    cp =
        ControlPlane.start(
            new ControlPlaneOptions(
                dir,
                any,
                any,
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Clock.systemUTC(),
                Map.of()));
    url = "http://127.0.0.1:" + cp.httpAddress().getPort();
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  private int run(String... args) {
    CommandLine cli = Outrigger.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void statusPrintsATableAndJsonForScripts() {
    assertThat(run("cp", "status", "--control-plane", url)).isZero();
    assertThat(out.toString())
        .startsWith("NAME   GROUP   ADDRESS   CDS   EDS   LDS   RDS   CONNECTED SINCE")
        .contains("(no proxy connected)")
        .contains("PUSH TO ACK  CDS -");

    out.getBuffer().setLength(0);
    assertThat(run("cp", "status", "--json", "--control-plane", url)).isZero();
    assertThat(out.toString()).contains("\"proxies\": []").contains("\"state\": \"OK\"");
  }

  @Test
  void applyWritesTheFileThroughTheControlPlaneAndRefusesABadOneWithExit2() throws Exception {
    Path file = dir.getParent().resolve("apply-" + System.nanoTime() + ".yaml");
    Files.writeString(file, CLUSTER);

    assertThat(
            run(
                "cp",
                "register",
                "--control-plane",
                url,
                "--cluster",
                "kv",
                "--address",
                "127.0.0.1",
                "--port",
                "8080",
                "--metadata",
                "zone=a"))
        .as(err.toString())
        .isZero();
    assertThat(run("cp", "apply", "-f", file.toString(), "--control-plane", url))
        .as(err.toString())
        .isZero();
    assertThat(out.toString())
        .contains("registered kv 127.0.0.1:8080")
        .contains("applied: [\"outrigger-api.yaml\"]");
    assertThat(Files.readString(dir.resolve("outrigger-api.yaml"))).contains("name: kv");

    Files.writeString(file, CLUSTER.replace("type: EDS", "type: EDZ"));
    assertThat(run("cp", "apply", "-f", file.toString(), "--control-plane", url)).isEqualTo(2);
    assertThat(err.toString())
        .contains("control plane answered 400: request body: line 3: [0].type:");
    Files.delete(file);
  }

  @Test
  void anUnreachableControlPlaneIsExit1AndAMissingFileExit2() {
    assertThat(run("cp", "status", "--control-plane", "http://127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString()).contains("cannot reach the control plane at http://127.0.0.1:1");
    assertThat(run("cp", "apply", "-f", "/nonexistent.yaml", "--control-plane", url)).isEqualTo(2);
  }

  @Test
  void deregisterOfAnUnknownInstanceIsRefused() {
    assertThat(
            run(
                "cp",
                "deregister",
                "--control-plane",
                url,
                "--cluster",
                "kv",
                "--address",
                "127.0.0.1",
                "--port",
                "1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("404: no registration kv/127.0.0.1/1");
  }

  @Test
  void controlPlaneRefusesABrokenFolderAtStartWithExit2() throws Exception {
    Path broken = Files.createDirectory(dir.resolve("broken"));
    Files.writeString(broken.resolve("x.yaml"), "- name: a\n");

    assertThat(
            run(
                "control-plane",
                "--resources",
                dir.toString(),
                "--xds-address",
                "127.0.0.1:0",
                "--http-address",
                "127.0.0.1:0",
                "--insecure-plaintext-xds",
                "--insecure-no-auth"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("config error: broken/x.yaml: line 1: [0]: missing \"@type\"");
  }
}
