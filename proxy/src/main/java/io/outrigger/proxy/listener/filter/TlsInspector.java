package io.outrigger.proxy.listener.filter;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.stats.ListenerFilterStats;

/**
 * {@code envoy.filters.listener.tls_inspector}: a connection that starts with a TLS ClientHello is
 * {@code tls}, with the ClientHello's SNI as its server name and its ALPN list as its application
 * protocols; anything else is {@code raw_buffer}. A ClientHello over 64 KiB closes the connection
 * ({@code tls_inspector.client_hello_too_large}), as in Envoy.
 *
 * <p>A listener without {@code listener_filters} whose chains match on server names, transport
 * protocol or application protocols gets this filter implicitly, as Outrigger listeners always had
 * it.
 */
public final class TlsInspector implements ListenerFilter {
  private final ListenerFilterStats stats;

  public TlsInspector(ListenerFilterStats stats) {
    this.stats = requireNonNull(stats, "stats");
  }

  @Override
  public Status onAccept(Channel ch, ConnectionFacts facts) {
    return Status.NEED_DATA;
  }

  @Override
  public Status onData(ByteBuf bytes, ConnectionFacts facts) {
    ClientHello.Result result = ClientHello.parse(bytes);
    if (result instanceof ClientHello.NeedMore) {
      return Status.NEED_DATA;
    }
    if (result instanceof ClientHello.TooLarge) {
      stats.clientHelloTooLarge.increment();
      return Status.CLOSE;
    }
    if (result instanceof ClientHello.Found hello) {
      stats.tlsFound.increment();
      facts.transportProtocol(TransportProtocol.TLS);
      (hello.serverName() != null ? stats.sniFound : stats.sniNotFound).increment();
      facts.serverName(hello.serverName());
      (hello.alpn().isEmpty() ? stats.alpnNotFound : stats.alpnFound).increment();
      facts.applicationProtocols(hello.alpn());
      return Status.CONTINUE;
    }
    stats.tlsNotFound.increment();
    facts.transportProtocol(TransportProtocol.RAW_BUFFER);
    return Status.CONTINUE;
  }
}
