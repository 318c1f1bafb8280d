package io.outrigger.proxy.http.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopTest {
  @Test
  void removesConnectionAndEveryHeaderItNamesAcrossTokensAndHeaders() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Connection", "keep-alive ,  X-One,,");
    h.add("Connection", "x-two");
    h.add("X-One", "1").add("X-Two", "2").add("Keep-Alive", "timeout=5").add("X-Kept", "k");

    HopByHop.strip(h, false);

    assertThat(h.names()).containsExactly("X-Kept");
  }

  @Test
  void singleTokenConnectionRemovesItsHeader() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Connection", "close").add("close", "x").add("X-Kept", "k");

    HopByHop.strip(h, false);

    assertThat(h.names()).containsExactly("X-Kept");
  }

  @Test
  void permittedUpgradeKeepsUpgradeAndSaysSoInConnection() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Connection", "Upgrade, X-One").add("Upgrade", "websocket").add("X-One", "1");

    HopByHop.strip(h, true);

    assertThat(h.get("Upgrade")).isEqualTo("websocket");
    assertThat(h.get("Connection")).isEqualTo("upgrade");
    assertThat(h.contains("X-One")).isFalse();
  }
}
