package io.outrigger.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void ordersByTimeThenReplica() {
    assertThat(new Version(2, "n1")).isGreaterThan(new Version(1, "n3"));
    assertThat(new Version(2, "n2")).isGreaterThan(new Version(2, "n1"));
    assertThat(new Version(2, "n2").isNewerThan(null)).isTrue();
    assertThat(new Version(2, "n2").isNewerThan(new Version(2, "n2"))).isFalse();
  }

  @Test
  void headerFormRoundTrips() {
    Version v = new Version(7, "n2");
    assertThat(v.toString()).isEqualTo("7.n2");
    assertThat(Version.parse("7.n2")).isEqualTo(v);
    assertThat(Version.parse("12.node.a")).isEqualTo(new Version(12, "node.a"));
  }

  @Test
  void refusesBadForms() {
    assertThatThrownBy(() -> Version.parse("n2")).hasMessageContaining("expected: TIME.REPLICA");
    assertThatThrownBy(() -> Version.parse("x.n2")).hasMessageContaining("expected: TIME.REPLICA");
    assertThatThrownBy(() -> new Version(0, "n1")).hasMessage("time: 0 (expected: 1 or more)");
  }

  @Test
  void newestKeepsTheLargerTag() {
    Versioned a = new Versioned("k", "a".getBytes(), new Version(3, "n1"));
    Versioned b = Versioned.tombstone("k", new Version(3, "n2"));
    assertThat(Versioned.newest(a, b)).isSameAs(b);
    assertThat(Versioned.newest(b, a)).isSameAs(b);
    assertThat(Versioned.newest(null, a)).isSameAs(a);
  }

  @Test
  void keysAreOneTo256Bytes() {
    assertThatThrownBy(() -> Versioned.checkKey("")).hasMessage("key: 0 bytes (expected: 1..256)");
    Versioned.checkKey("é".repeat(128));
    assertThatThrownBy(() -> Versioned.checkKey("é".repeat(129)))
        .hasMessage("key: 258 bytes (expected: 1..256)");
  }
}
