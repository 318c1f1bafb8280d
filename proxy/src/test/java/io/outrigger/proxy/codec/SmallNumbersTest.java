package io.outrigger.proxy.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class SmallNumbersTest {
  @Test
  void theSmallNumbersAreSharedAndEveryOtherIsLeftToTheCaller() {
    for (int n = 0; n < SmallNumbers.LIMIT; n++) {
      assertThat(SmallNumbers.text(n).toString()).isEqualTo(Integer.toString(n));
      assertThat((Object) SmallNumbers.text(n)).isSameAs(SmallNumbers.text((long) n));
    }
    assertThat((Object) SmallNumbers.text(-1)).isNull();
    assertThat((Object) SmallNumbers.text(SmallNumbers.LIMIT)).isNull();
    assertThat((Object) SmallNumbers.text(Long.MAX_VALUE)).isNull();
  }

  @Test
  void headersWriteNumbersAsTheirDecimalTextWhetherSharedOrNot() {
    HttpHeaders h = CompactHeaders.HEADERS.newHeaders();
    h.setInt("content-length", 42);
    h.set("x-envoy-upstream-service-time", 7L);
    h.set("x-big", 1_234_567L);
    h.addInt("x-negative", -3);

    assertThat(h.get("content-length")).isEqualTo("42");
    assertThat(h.getInt("content-length")).isEqualTo(42);
    assertThat(h.get("x-envoy-upstream-service-time")).isEqualTo("7");
    assertThat(h.get("x-big")).isEqualTo("1234567");
    assertThat(h.get("x-negative")).isEqualTo("-3");
  }
}
