package io.outrigger.cli.intercept;

import static io.outrigger.cli.intercept.OutriggerIptables.natTable;
import static io.outrigger.cli.intercept.OutriggerIptables.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outrigger.cli.netns.Netns;
import io.outrigger.cli.netns.NetnsKit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built {@code outrigger iptables} against a real nat table, in a fresh namespace per test that
 * already holds rules of someone else's: cleanup takes away exactly what install added, dry runs
 * change nothing, and each refusal is one line with a non-zero exit.
 */
class IptablesCleanupIT {
  /** A workload's own nat rules, there before us and to be there after us. */
  private static final String THEIRS =
      """
      *nat
      :THEIRS - [0:0]
      -A THEIRS -p tcp -j REDIRECT --to-ports 3128
      -A OUTPUT -d 10.99.0.0/16 -p tcp -j THEIRS
      -A PREROUTING -p tcp --dport 2222 -j REDIRECT --to-ports 22
      COMMIT
      """;

  private NetnsKit kit;
  private Netns ns;

  @BeforeEach
  void namespaceWithRulesOfItsOwn() {
    assumeTrue(NetnsKit.available(), "needs root, ip, iptables and setpriv");
    kit = NetnsKit.create();
    ns = kit.namespace("clean");
    ns.exec(List.of("iptables-restore", "--noflush"), THEIRS).check();
  }

  @AfterEach
  void removeNamespace() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void cleanupLeavesTheNatTableExactlyAsBeforeTheInstall() {
    String before = natTable(ns);
    assertThat(before).contains(":THEIRS").doesNotContain("OUTRIGGER_");

    Netns.Result install =
        run(ns, "--proxy-uid", "1337", "--exclude-inbound-ports", "22", "--proxy-gid", "1338");
    assertThat(install.exit()).as(install.err()).isZero();
    assertThat(install.out()).contains("installed: inbound TCP to port 15006");
    assertThat(natTable(ns))
        .contains("-A PREROUTING -p tcp -j OUTRIGGER_INBOUND")
        .contains("-A OUTPUT -p tcp -j OUTRIGGER_OUTPUT")
        .contains("-A OUTRIGGER_REDIRECT -p tcp -j REDIRECT --to-ports 15001")
        .contains(":THEIRS");

    Netns.Result cleanup = run(ns, "--cleanup");
    assertThat(cleanup.exit()).as(cleanup.err()).isZero();
    assertThat(natTable(ns)).isEqualTo(before);

    Netns.Result again = run(ns, "--cleanup");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).startsWith("nothing to clean up");
    assertThat(natTable(ns)).isEqualTo(before);
  }

  @Test
  void dryRunsChangeNothing() {
    String before = natTable(ns);
    Netns.Result dry = run(ns, "--dry-run", "--proxy-uid", "1337");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).startsWith("*nat\n").contains("-A OUTPUT -p tcp -j OUTRIGGER_OUTPUT");
    assertThat(natTable(ns)).isEqualTo(before);

    assertThat(run(ns, "--proxy-uid", "1337").exit()).isZero();
    String installed = natTable(ns);
    Netns.Result dryCleanup = run(ns, "--cleanup", "--dry-run");
    assertThat(dryCleanup.exit()).as(dryCleanup.err()).isZero();
    assertThat(dryCleanup.out())
        .contains("-D OUTPUT -p tcp -j OUTRIGGER_OUTPUT")
        .contains("-X OUTRIGGER_REDIRECT");
    assertThat(natTable(ns)).isEqualTo(installed);
  }

  @Test
  void aSecondInstallIsRefusedAndChangesNothing() {
    assertThat(run(ns, "--proxy-uid", "1337").exit()).isZero();
    String installed = natTable(ns);
    Netns.Result second = run(ns, "--proxy-uid", "1337");
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err().strip())
        .isEqualTo(
            "outrigger iptables: OUTRIGGER_* rules exist already in the nat table; run"
                + " `outrigger iptables --cleanup` first");
    assertThat(natTable(ns)).isEqualTo(installed);
  }

  @Test
  void withoutNetAdminItSaysSoAndChangesNothing() {
    String before = natTable(ns);
    List<String> noNetAdmin =
        List.of("setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin");
    for (String mode : List.of("--proxy-uid=1337", "--cleanup")) {
      Netns.Result r = run(ns, noNetAdmin, mode);
      assertThat(r.exit()).as(mode).isEqualTo(1);
      assertThat(r.err().strip())
          .as(mode)
          .hasLineCount(1)
          .startsWith("outrigger iptables: the NET_ADMIN capability is missing");
    }
    assertThat(natTable(ns)).isEqualTo(before);
  }

  @Test
  void withoutIptablesItSaysSo() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = OutriggerIptables.HOME.resolve("cli/target/outrigger.jar").toString();
    Netns.Result r =
        ns.exec(
            List.of(
                "env", "PATH=/nonexistent", java, "-jar", jar, "iptables", "--proxy-uid", "1337"),
            null);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip())
        .hasLineCount(1)
        .startsWith("outrigger iptables: iptables-save not found on PATH");
  }
}
