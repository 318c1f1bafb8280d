package io.outrigger.proxy.listener.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.listener.filter.ListenerFilter.Status;
import io.outrigger.proxy.stats.ListenerFilterStats;
import io.outrigger.proxy.stats.ProxyStats;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TlsInspectorTest {
  private final ProxyStats proxyStats = new ProxyStats();
  private final ListenerFilterStats stats = proxyStats.listenerFilters("l");
  private final TlsInspector inspector = new TlsInspector(stats);
  private final ConnectionFacts facts =
      new ConnectionFacts(
          new InetSocketAddress("127.0.0.1", 443), new InetSocketAddress("127.0.0.1", 5000));

  @AfterEach
  void close() {
    proxyStats.close();
  }

  private static ByteBuf clientHello(String serverName, String... alpn) throws Exception {
    return ClientHellos.of(serverName, alpn);
  }

  @Test
  void readsSniAndAlpnFromARealClientHello() throws Exception {
    ByteBuf hello = clientHello("API.Example.com", "h2", "http/1.1");
    try {
      assertThat(inspector.onAccept(null, facts)).isEqualTo(Status.NEED_DATA);
      assertThat(inspector.onData(hello, facts)).isEqualTo(Status.CONTINUE);
      assertThat(hello.readerIndex()).isZero();
    } finally {
      hello.release();
    }
    assertThat(facts.transportProtocol()).isEqualTo(TransportProtocol.TLS);
    assertThat(facts.serverName()).isEqualTo("api.example.com");
    assertThat(facts.applicationProtocols()).containsExactly("h2", "http/1.1");
    assertThat(stats.tlsFound.count()).isEqualTo(1);
    assertThat(stats.sniFound.count()).isEqualTo(1);
    assertThat(stats.alpnFound.count()).isEqualTo(1);
  }

  @Test
  void waitsForTheWholeClientHelloByteByByte() throws Exception {
    ByteBuf hello = clientHello("a.test");
    ByteBuf partial = Unpooled.buffer();
    try {
      Status s = Status.NEED_DATA;
      int fed = 0;
      while (s == Status.NEED_DATA) {
        partial.writeByte(hello.getByte(fed++));
        s = inspector.onData(partial, facts);
      }
      assertThat(fed).isEqualTo(hello.readableBytes());
      assertThat(s).isEqualTo(Status.CONTINUE);
    } finally {
      hello.release();
      partial.release();
    }
    assertThat(facts.serverName()).isEqualTo("a.test");
    assertThat(facts.applicationProtocols()).isEmpty();
    assertThat(stats.alpnNotFound.count()).isEqualTo(1);
  }

  @Test
  void aClientHelloSplitOverTwoRecordsIsGathered() throws Exception {
    ByteBuf hello = clientHello("split.test", "h2");
    ByteBuf split = Unpooled.buffer();
    try {
      int length = hello.getUnsignedShort(3);
      int first = length / 2;
      split.writeBytes(hello, 0, 3).writeShort(first).writeBytes(hello, 5, first);
      split
          .writeBytes(hello, 0, 3)
          .writeShort(length - first)
          .writeBytes(hello, 5 + first, length - first);
      assertThat(inspector.onData(split, facts)).isEqualTo(Status.CONTINUE);
    } finally {
      hello.release();
      split.release();
    }
    assertThat(facts.serverName()).isEqualTo("split.test");
    assertThat(facts.applicationProtocols()).containsExactly("h2");
  }

  @Test
  void plaintextIsRawBufferAtTheFirstByte() {
    ByteBuf get = Unpooled.copiedBuffer("G", StandardCharsets.US_ASCII);
    try {
      assertThat(inspector.onData(get, facts)).isEqualTo(Status.CONTINUE);
    } finally {
      get.release();
    }
    assertThat(facts.transportProtocol()).isEqualTo(TransportProtocol.RAW_BUFFER);
    assertThat(facts.transportProtocolDetected()).isTrue();
    assertThat(stats.tlsNotFound.count()).isEqualTo(1);
  }

  @Test
  void aClientHelloOver64KibClosesTheConnection() {
    ByteBuf huge = Unpooled.buffer();
    try {
      huge.writeBytes(new byte[] {22, 3, 1, 0x40, 0}).writeByte(1).writeMedium(70_000);
      assertThat(inspector.onData(huge, facts)).isEqualTo(Status.CLOSE);
    } finally {
      huge.release();
    }
    assertThat(stats.clientHelloTooLarge.count()).isEqualTo(1);
  }

  @Test
  void aHandshakeThatIsNotAClientHelloIsNotTls() {
    ByteBuf serverHello = Unpooled.buffer();
    try {
      serverHello.writeBytes(new byte[] {22, 3, 3, 0, 4, 2, 0, 0, 0});
      assertThat(inspector.onData(serverHello, facts)).isEqualTo(Status.CONTINUE);
    } finally {
      serverHello.release();
    }
    assertThat(facts.transportProtocol()).isEqualTo(TransportProtocol.RAW_BUFFER);
    assertThat(facts.serverName()).isNull();
    assertThat(List.of(stats.tlsNotFound.count())).containsExactly(1.0);
  }
}
