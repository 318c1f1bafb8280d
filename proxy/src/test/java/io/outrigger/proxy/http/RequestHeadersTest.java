package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestHeadersTest {
  @Test
  void requestIdIsTheVersionFourUuidOfTheSameDrawsInUuidsOwnTextForm() {
    for (long seed = 0; seed < 1_000; seed++) {
      SplittableRandom expected = new SplittableRandom(seed);
      long msb = (expected.nextLong() & ~0xF000L) | 0x4000L;
      long lsb = (expected.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;

      String id = RequestHeaders.requestId(new SplittableRandom(seed)).toString();

      assertThat(id).isEqualTo(new UUID(msb, lsb).toString());
      assertThat(UUID.fromString(id).version()).isEqualTo(4);
      assertThat(UUID.fromString(id).variant()).isEqualTo(2);
    }
  }
}
