package io.outrigger.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLogTest {
  @TempDir Path dir;

  private static Versioned v(String key, String value, long time) {
    return new Versioned(
        key,
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        new Version(time, "n1"));
  }

  @Test
  void replaysTheNewestEntryPerKeyAndCompacts() throws IOException {
    try (DataLog log = DataLog.open(dir, true, new HashMap<>())) {
      log.append(v("a", "1", 1));
      log.append(v("a", "2", 3));
      log.append(v("b", "x", 2));
      log.append(v("b", null, 4));
      log.sync();
    }
    long before = Files.size(dir.resolve(DataLog.FILE));
    Map<String, Versioned> recovered = new HashMap<>();
    try (DataLog log = DataLog.open(dir, true, recovered)) {
      assertThat(recovered.get("a")).isEqualTo(v("a", "2", 3));
      assertThat(recovered.get("b").isTombstone()).isTrue();
      assertThat(recovered.get("b").version()).isEqualTo(new Version(4, "n1"));
    }
    assertThat(Files.size(dir.resolve(DataLog.FILE))).isLessThan(before);
  }

  @Test
  void ignoresATornTail() throws IOException {
    try (DataLog log = DataLog.open(dir, false, new HashMap<>())) {
      log.append(v("a", "1", 1));
      log.sync();
    }
    byte[] torn = DataLog.encode(v("b", "2", 2));
    Files.write(
        dir.resolve(DataLog.FILE),
        java.util.Arrays.copyOf(torn, torn.length - 3),
        StandardOpenOption.APPEND);
    Map<String, Versioned> recovered = new HashMap<>();
    DataLog.open(dir, false, recovered).close();
    assertThat(recovered).containsOnlyKeys("a");
  }

  @Test
  void ignoresACorruptRecord() throws IOException {
    byte[] good = DataLog.encode(v("a", "1", 1));
    byte[] bad = DataLog.encode(v("b", "2", 2));
    bad[bad.length - 1] ^= 0x55;
    Files.createDirectories(dir);
    Files.write(dir.resolve(DataLog.FILE), good);
    Files.write(dir.resolve(DataLog.FILE), bad, StandardOpenOption.APPEND);
    Map<String, Versioned> recovered = new HashMap<>();
    DataLog.open(dir, false, recovered).close();
    assertThat(recovered).containsOnlyKeys("a");
  }

  @Test
  void refusesAFolderAnotherReplicaHolds() throws IOException {
    try (DataLog log = DataLog.open(dir, false, new HashMap<>())) {
      assertThatThrownBy(() -> DataLog.open(dir, false, new HashMap<>()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another replica");
    }
  }
}
