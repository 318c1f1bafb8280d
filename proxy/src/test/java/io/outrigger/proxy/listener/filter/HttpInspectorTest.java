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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpInspectorTest {
  private final ProxyStats proxyStats = new ProxyStats();
  private final ListenerFilterStats stats = proxyStats.listenerFilters("l");
  private final HttpInspector inspector = new HttpInspector(stats);
  private final ConnectionFacts facts =
      new ConnectionFacts(
          new InetSocketAddress("127.0.0.1", 80), new InetSocketAddress("127.0.0.1", 5000));

  @AfterEach
  void close() {
    proxyStats.close();
  }

  private Status feed(String text) {
    ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    try {
      Status s = inspector.onData(in, facts);
      assertThat(in.readerIndex()).isZero();
      return s;
    } finally {
      in.release();
    }
  }

  @Test
  void http11RequestLine() {
    assertThat(feed("GET /index.html HTTP/1.1\r\nHost: a\r\n")).isEqualTo(Status.CONTINUE);
    assertThat(facts.applicationProtocols()).containsExactly("http/1.1");
    assertThat(stats.http11Found.count()).isEqualTo(1);
  }

  @Test
  void http10RequestLineWithABareLineFeed() {
    assertThat(feed("POST http://a/x HTTP/1.0\n")).isEqualTo(Status.CONTINUE);
    assertThat(facts.applicationProtocols()).containsExactly("http/1.0");
    assertThat(stats.http10Found.count()).isEqualTo(1);
  }

  @Test
  void h2cPrefaceNeedsAllItsBytes() {
    assertThat(feed("PRI * HTTP/2.0\r\n")).isEqualTo(Status.NEED_DATA);
    assertThat(feed("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).isEqualTo(Status.CONTINUE);
    assertThat(facts.applicationProtocols()).containsExactly("h2c");
    assertThat(stats.http2Found.count()).isEqualTo(1);
  }

  @Test
  void aPartialRequestLineWaits() {
    assertThat(feed("GET /a HTTP/1.")).isEqualTo(Status.NEED_DATA);
    assertThat(feed("GET")).isEqualTo(Status.NEED_DATA);
    assertThat(facts.applicationProtocols()).isEmpty();
  }

  @Test
  void bytesThatCannotStartARequestLineDecideAtOnce() {
    assertThat(feed("\u0016\u0003\u0001")).isEqualTo(Status.CONTINUE);
    assertThat(feed("SSH-2.0-OpenSSH_9.2\r\n")).isEqualTo(Status.CONTINUE);
    assertThat(feed("GET /a HTTP/2.0\r\n")).isEqualTo(Status.CONTINUE);
    assertThat(feed("\r\n")).isEqualTo(Status.CONTINUE);
    assertThat(facts.applicationProtocols()).isEmpty();
    assertThat(stats.httpNotFound.count()).isEqualTo(4);
  }

  @Test
  void aRequestLineWithoutAnEndWithin64KibCloses() {
    assertThat(feed("GET /" + "a".repeat(HttpInspector.MAX_INSPECT_SIZE))).isEqualTo(Status.CLOSE);
    assertThat(stats.httpReadError.count()).isEqualTo(1);
  }

  @Test
  void tlsConnectionsAreNotInspectedAndGivingUpCountsNotFound() {
    facts.transportProtocol(TransportProtocol.TLS);
    assertThat(inspector.onAccept(null, facts)).isEqualTo(Status.CONTINUE);
    inspector.onGiveUp(facts);
    assertThat(stats.httpNotFound.count()).isEqualTo(1);
  }
}
