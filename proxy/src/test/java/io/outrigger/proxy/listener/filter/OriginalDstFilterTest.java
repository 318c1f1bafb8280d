package io.outrigger.proxy.listener.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.listener.filter.ListenerFilter.Status;
import io.outrigger.proxy.listener.filter.OriginalDestinationReader.SocketOriginalDestination;
import io.outrigger.proxy.stats.ListenerFilterStats;
import io.outrigger.proxy.stats.ProxyStats;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OriginalDstFilterTest {
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 15001);
  private final ProxyStats proxyStats = new ProxyStats();
  private final ListenerFilterStats stats = proxyStats.listenerFilters("l");

  @AfterEach
  void close() {
    proxyStats.close();
  }

  private ConnectionFacts run(OriginalDestinationReader reader, Status expected) {
    ConnectionFacts facts = new ConnectionFacts(LOCAL, new InetSocketAddress("10.0.0.9", 40000));
    EmbeddedChannel ch = new EmbeddedChannel();
    try {
      assertThat(new OriginalDstFilter(reader, stats).onAccept(ch, facts)).isEqualTo(expected);
    } finally {
      ch.finishAndReleaseAll();
    }
    return facts;
  }

  @Test
  void restoresARedirectedDestination() {
    InetSocketAddress original = new InetSocketAddress("10.99.0.1", 80);

    ConnectionFacts facts = run(ch -> original, Status.CONTINUE);

    assertThat(facts.originalDestination()).isEqualTo(original);
    assertThat(facts.destination()).isEqualTo(original);
    assertThat(stats.originalDstRestored.count()).isEqualTo(1);
  }

  @Test
  void theListenersOwnAddressMeansNotRedirected() {
    ConnectionFacts facts = run(ch -> LOCAL, Status.CONTINUE);

    assertThat(facts.originalDestination()).isNull();
    assertThat(facts.destination()).isEqualTo(LOCAL);
    assertThat(stats.originalDstNotRedirected.count()).isEqualTo(1);
  }

  @Test
  void anUnreadableDestinationClosesAndCounts() {
    run(ch -> null, Status.CLOSE);

    assertThat(stats.originalDstReadError.count()).isEqualTo(1);
  }

  @Test
  void theSocketReaderReadsNothingFromANonEpollChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    try {
      assertThat(OriginalDestinationReader.SOCKET.read(ch)).isNull();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void parsesSockaddrInAndIn6() throws Exception {
    ByteBuffer v4 = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    v4.putShort((short) 2).order(ByteOrder.BIG_ENDIAN).putShort((short) 8080);
    v4.put(new byte[] {10, 99, 0, 1});
    ByteBuffer v6 = ByteBuffer.allocate(28);
    v6.putShort((short) 10).putShort((short) 443).putInt(0);
    v6.put(java.net.InetAddress.getByName("fd00::1").getAddress());

    assertThat(SocketOriginalDestination.parse(v4.flip(), false))
        .isEqualTo(new InetSocketAddress("10.99.0.1", 8080));
    assertThat(SocketOriginalDestination.parse(v6.position(28).flip(), true))
        .isEqualTo(new InetSocketAddress("fd00::1", 443));
    assertThat(SocketOriginalDestination.parse(ByteBuffer.allocate(4), false)).isNull();
  }
}
