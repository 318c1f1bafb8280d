package io.outrigger.cli.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks before iptables runs, without running it. */
class IptablesTest {
  private static final String ROOT = "Name:\tjava\nCapEff:\t000001ffffffffff\n";
  private static final String NO_NET_ADMIN = "Name:\tjava\nCapEff:\t000001ffffffefff\n";

  @Test
  void readsNetAdminFromTheEffectiveSet() {
    assertThat(Iptables.hasCapability(ROOT, Iptables.CAP_NET_ADMIN)).isTrue();
    assertThat(Iptables.hasCapability(NO_NET_ADMIN, Iptables.CAP_NET_ADMIN)).isFalse();
    assertThat(Iptables.hasCapability(NO_NET_ADMIN, 13)).isTrue();
  }

  @Test
  void missingNetAdminIsNamed(@TempDir Path dir) throws Exception {
    Path status = Files.writeString(dir.resolve("status"), NO_NET_ADMIN);
    assertThatThrownBy(() -> new Iptables("/usr/sbin", status).checkNetAdmin())
        .isInstanceOf(IptablesException.class)
        .hasMessageStartingWith("the NET_ADMIN capability is missing");
  }

  @Test
  void missingToolIsNamed(@TempDir Path dir) throws Exception {
    Path status = Files.writeString(dir.resolve("status"), ROOT);
    Iptables iptables = new Iptables(dir.toString(), status);
    iptables.checkNetAdmin();
    assertThatThrownBy(iptables::saveNat)
        .isInstanceOf(IptablesException.class)
        .hasMessageStartingWith("iptables-save not found on PATH");
    assertThatThrownBy(() -> iptables.restore("*nat\nCOMMIT\n"))
        .hasMessageStartingWith("iptables-restore not found on PATH");
  }

  @Test
  void aFailingToolIsReportedByItsFirstLine(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("iptables-restore");
    Files.writeString(
        fake, "#!/bin/sh\ncat >/dev/null\necho 'iptables-restore: line 2 failed' >&2\nexit 1\n");
    assertThat(fake.toFile().setExecutable(true)).isTrue();
    assertThatThrownBy(() -> new Iptables(dir.toString(), fake).restore("*nat\nCOMMIT\n"))
        .hasMessage("iptables-restore failed (exit 1): iptables-restore: line 2 failed");
  }

  @Test
  void permissionDeniedFromIptablesIsMissingNetAdmin(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("iptables-save");
    Files.writeString(
        fake,
        "#!/bin/sh\necho 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation"
            + " id: Permission denied (you must be root)' >&2\nexit 4\n");
    assertThat(fake.toFile().setExecutable(true)).isTrue();
    assertThatThrownBy(() -> new Iptables(dir.toString(), fake).saveNat())
        .hasMessageStartingWith("the NET_ADMIN capability is missing");
  }
}
