package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line in-process: help, version, and refusals with exit status 2. */
class OutriggerCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Outrigger.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsOnlyWorkingSubcommands() {
    assertThat(run("--help")).isZero();
    String commands = out.toString().substring(out.toString().indexOf("Commands:"));
    // A command's line starts with two spaces; a longer description continues further in.
    assertThat(
            commands
                .lines()
                .skip(1)
                .filter(l -> l.matches("  \\S.*"))
                .map(l -> l.trim().split("\\s+")[0]))
        .containsExactly(
            "proxy", "control-plane", "cp", "kvstore", "mesh", "lab", "certs", "iptables", "help");
  }

  @Test
  void mainBuildsOnlyTheSubcommandItRuns() {
    assertThat(Outrigger.newCommandLine("proxy").getSubcommands()).containsOnlyKeys("proxy");
    assertThat(Outrigger.newCommandLine("mesh").getSubcommands().get("mesh").getSubcommands())
        .containsKeys("up", "status", "partition", "heal", "down");
    // Anything else, an option or a mistyped name, gets every subcommand for the usage.
    assertThat(Outrigger.newCommandLine("--help").getSubcommands())
        .containsKeys("proxy", "kvstore", "iptables", "help");
    assertThat(Outrigger.newCommandLine("proxyy").getSubcommands()).hasSize(9);
    assertThat(Outrigger.newCommandLine("").getSubcommands()).hasSize(9);
    // Each name main looks up is the name of the command it builds.
    for (String name : Outrigger.newCommandLine().getSubcommands().keySet()) {
      if (!name.equals("help")) {
        assertThat(Outrigger.newCommandLine(name).getSubcommands()).containsOnlyKeys(name);
      }
    }
  }

  @Test
  void oneSubcommandKeepsTheConvertersAndExitCodes() {
    CommandLine cli = Outrigger.newCommandLine("proxy");
    cli.setErr(new PrintWriter(err, true));
    // "2s" is Outrigger's form; picocli's own Duration converter would want "PT2S".
    ProxyCommand proxy = cli.getSubcommands().get("proxy").getCommand();
    cli.parseArgs("proxy", "--config", "x.yaml", "--drain-time", "2s");
    assertThat(proxy.drainTime).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(cli.execute("proxy", "--drain-time", "soon")).isEqualTo(Outrigger.EXIT_CONFIG);
    assertThat(err.toString()).contains("invalid duration \"soon\"");
  }

  @Test
  void noArgumentsPrintsUsage() {
    assertThat(run()).isZero();
    assertThat(out.toString()).contains("Usage: outrigger");
  }

  @Test
  void versionNamesTheProduct() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("outrigger ");
  }

  @Test
  void proxyHelpDescribesEveryOption() {
    assertThat(run("proxy", "--help")).isZero();
    assertThat(out.toString())
        .contains("--config")
        .contains("--concurrency")
        .contains("--log-level")
        .contains("--drain-time");
  }

  @Test
  void iptablesHelpDescribesEveryOption() {
    assertThat(run("iptables", "--help")).isZero();
    assertThat(out.toString())
        .contains("--inbound-port")
        .contains("--outbound-port")
        .contains("--proxy-uid")
        .contains("--proxy-gid")
        .contains("--exclude-inbound-ports")
        .contains("--exclude-outbound-ports")
        .contains("--exclude-outbound-cidrs")
        .contains("--include-outbound-cidrs")
        .contains("--dry-run")
        .contains("--cleanup");
  }

  @Test
  void iptablesDryRunPrintsTheRestoreInputAndTouchesNothing() {
    assertThat(run("iptables", "--dry-run", "--proxy-uid", "1337", "--exclude-inbound-ports", "22"))
        .isZero();
    assertThat(out.toString())
        .startsWith("*nat\n")
        .contains("-A OUTRIGGER_INBOUND -p tcp --dport 22 -j RETURN\n")
        .contains("-A OUTPUT -p tcp -j OUTRIGGER_OUTPUT\n")
        .endsWith("COMMIT\n");
  }

  @Test
  void iptablesWithoutAnOwnerIsRefused() {
    assertThat(run("iptables", "--dry-run")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("outrigger iptables: --proxy-uid or --proxy-gid is required");
  }

  @Test
  void missingConfigOptionIsAUsageError() {
    assertThat(run("proxy")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
  }

  @Test
  void badDrainTimeIsRefusedByName() {
    assertThat(run("proxy", "--config", "x.yaml", "--drain-time", "5x")).isEqualTo(2);
    assertThat(err.toString()).contains("invalid duration \"5x\"");
  }

  @Test
  void badLogLevelIsRefused() {
    assertThat(run("proxy", "--config", "x.yaml", "--log-level", "loud")).isEqualTo(2);
    assertThat(err.toString()).contains("--log-level: unknown level \"loud\"");
  }

  @Test
  void configErrorNamesFileAndFieldWithoutStackTrace(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        """
        static_resources:
          clusters:
          - name: c
            connect_timeout: 5x
        """);
    assertThat(run("proxy", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("config error: " + file)
        .contains("static_resources.clusters[0].connect_timeout")
        .contains("5x")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void unreadableCertificateIsAConfigErrorNamingTheCluster(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Path missing = dir.resolve("no-such-cert.pem");
    Files.writeString(
        file,
        """
        static_resources:
          clusters:
          - name: secure
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                common_tls_context:
                  tls_certificates:
                  - certificate_chain: { filename: "%s" }
                    private_key: { filename: "%s" }
        """
            .formatted(missing, missing));
    assertThat(run("proxy", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("config error: cluster secure: transport_socket: cannot load " + missing)
        .doesNotContain("\tat ");
  }

  @Test
  void missingFileIsAConfigError(@TempDir Path dir) {
    assertThat(run("proxy", "--config", dir.resolve("none.yaml").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("config error: ").contains("none.yaml: no such file");
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    DurationConverter c = new DurationConverter();
    assertThat(c.convert("250ms")).hasMillis(250);
    assertThat(c.convert("5s")).hasSeconds(5);
    assertThat(c.convert("1.5s")).hasMillis(1500);
    assertThat(c.convert("2m")).hasMinutes(2);
  }
}
