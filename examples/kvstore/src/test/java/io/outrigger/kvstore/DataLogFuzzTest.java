package io.outrigger.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's log replay against damage: records (from the input) are written, then the file is
 * torn at an offset or a byte is flipped; the replay recovers every record that lies wholly before
 * the damage, and nothing it did not write. Committed inputs under {@code DataLogFuzzTestInputs}
 * replay in every build; {@code mvn -Pfuzz} fuzzes.
 */
class DataLogFuzzTest {
  // The length of a -Pfuzz run without -Djazzer.max_duration; the fuzz profile turns the module's
  // 60 s test timeout off for the run, which Jazzer keeps as the limit for one input.
  @FuzzTest(maxDuration = "45s")
  void aDamagedLogLosesNothingBeforeTheDamageAndInventsNothing(FuzzedDataProvider data)
      throws IOException {
    List<Versioned> written = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    int records = data.consumeInt(1, 8);
    for (int i = 0; i < records; i++) {
      byte[] value = data.consumeBoolean() ? null : data.consumeBytes(64);
      Versioned v = new Versioned("k" + data.consumeInt(0, 3), value, new Version(i + 1L, "n1"));
      written.add(v);
      file.write(DataLog.encode(v));
      ends.add(file.size());
    }
    byte[] bytes = file.toByteArray();
    int damageAt = data.consumeInt(0, bytes.length - 1);
    boolean tear = data.consumeBoolean();
    if (tear) {
      bytes = java.util.Arrays.copyOf(bytes, damageAt);
    } else {
      bytes[damageAt] ^= (byte) data.consumeInt(1, 255);
    }
    Path dir = Files.createTempDirectory("datalog-fuzz");
    try {
      Path log = dir.resolve(DataLog.FILE);
      Files.write(log, bytes);
      Map<String, Versioned> recovered = new HashMap<>();
      int read = DataLog.replay(log, recovered);

      int intact = 0;
      while (intact < ends.size() && ends.get(intact) <= damageAt) {
        intact++;
      }
      assertThat(read).as("records replayed").isEqualTo(intact);
      Map<String, Versioned> expected = new HashMap<>();
      for (Versioned v : written.subList(0, intact)) {
        expected.merge(v.key(), v, Versioned::newest);
      }
      assertThat(recovered).isEqualTo(expected);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }
}
