package io.outrigger.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenFileTest {
  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void newTokensAreDistinctAndPrefixed() {
    String a = TokenFile.newToken(random);
    String b = TokenFile.newToken(random);
    assertThat(a).startsWith("ort_").hasSize(4 + 43).isNotEqualTo(b);
  }

  @Test
  void parsesNodeAndApiGrantsKeyedByTheTokensHash() {
    String node = TokenFile.newToken(random);
    String api = TokenFile.newToken(random);
    String text =
        "# tokens\n"
            + TokenFile.nodeLine(node, new WorkloadIdentity("default", "n1"))
            + "  # n1\n\n"
            + TokenFile.apiLine(api, Set.of(Scope.FAULTS, Scope.STATUS))
            + "\n";

    Map<String, Grant> grants = TokenFile.parse(text, "tokens");

    assertThat(text).doesNotContain(node).doesNotContain(api);
    assertThat(grants.get(TokenFile.hash(node)))
        .isEqualTo(
            new Grant.NodeGrant(TokenFile.hash(node), new WorkloadIdentity("default", "n1"), "n1"));
    assertThat(grants.get(TokenFile.hash(api)))
        .isEqualTo(new Grant.ApiGrant(TokenFile.hash(api), Set.of(Scope.FAULTS, Scope.STATUS)));
  }

  @Test
  void aNodeGrantMayNameAnotherNodeGroup() {
    String line = TokenFile.nodeLine("t", new WorkloadIdentity("shop", "cart")) + " cluster=web";
    Grant.NodeGrant g = (Grant.NodeGrant) TokenFile.parse(line, "f").get(TokenFile.hash("t"));
    assertThat(g.cluster()).isEqualTo("web");
    assertThat(g.identity()).isEqualTo(new WorkloadIdentity("shop", "cart"));
  }

  @Test
  void aBadLineIsRefusedNamingFileLineAndField() {
    String hash = "sha256:" + TokenFile.hash("t");
    assertThatThrownBy(() -> TokenFile.parse("\n" + hash + " api status,admin", "/etc/tokens"))
        .hasMessage("/etc/tokens:2: scope: \"admin\" (expected: status, faults or resources)");
    assertThatThrownBy(() -> TokenFile.parse(hash + " node n1", "f"))
        .hasMessageContaining("f:1: identity: \"n1\"");
    assertThatThrownBy(() -> TokenFile.parse("sha256:abc node default/n1", "f"))
        .hasMessageContaining("f:1: hash");
    assertThatThrownBy(() -> TokenFile.parse(hash + " root x", "f"))
        .hasMessageContaining("f:1: kind: \"root\"");
    assertThatThrownBy(() -> TokenFile.parse(hash + " api status\n" + hash + " api faults", "f"))
        .hasMessageContaining("f:2: the same token is granted twice");
  }

  @Test
  void bearerTakesTheTokenOfTheHeader() {
    assertThat(Bearer.token("Bearer ort_x")).contains("ort_x");
    assertThat(Bearer.token("bearer  ort_x ")).contains("ort_x");
    assertThat(Bearer.token("Basic dXNlcg==")).isEmpty();
    assertThat(Bearer.token("Bearer ")).isEmpty();
    assertThat(Bearer.token(null)).isEmpty();
  }
}
