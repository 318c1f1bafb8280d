package io.outrigger.proxy.connection;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the listener filters learned about one downstream connection, and what a filter chain is
 * chosen by: Envoy's connection socket with its restored local address, detected transport
 * protocol, requested server name and application protocols.
 *
 * <p>Kept on the channel ({@link #KEY}) after the chain is chosen, so that a {@code tcp_proxy} or
 * router can send the connection to its original destination (an {@code ORIGINAL_DST} cluster).
 *
 * <p>Threading: written and read on the connection's event loop only.
 */
public final class ConnectionFacts {
  /** Where a connection's facts live once its listener filters ran. */
  public static final AttributeKey<ConnectionFacts> KEY =
      AttributeKey.valueOf(ConnectionFacts.class, "facts");

  private final InetSocketAddress localAddress;
  private final InetSocketAddress remoteAddress;
  private InetSocketAddress originalDestination;
  private String serverName;
  private TransportProtocol transportProtocol;
  private List<String> applicationProtocols = List.of();

  public ConnectionFacts(InetSocketAddress localAddress, InetSocketAddress remoteAddress) {
    this.localAddress = localAddress;
    this.remoteAddress = remoteAddress;
  }

  /** The facts of {@code ch}, made from its addresses and attached on first use. */
  public static ConnectionFacts of(Channel ch) {
    ConnectionFacts facts = ch.attr(KEY).get();
    if (facts == null) {
      facts =
          new ConnectionFacts(
              ch.localAddress() instanceof InetSocketAddress l ? l : null,
              ch.remoteAddress() instanceof InetSocketAddress r ? r : null);
      ch.attr(KEY).set(facts);
    }
    return facts;
  }

  /** The original destination of {@code ch}, or {@code null} when none was restored. */
  public static InetSocketAddress originalDestination(Channel ch) {
    ConnectionFacts facts = ch.attr(KEY).get();
    if (facts == null && ch.parent() != null) {
      facts = ch.parent().attr(KEY).get(); // an HTTP/2 stream: its connection's facts
    }
    return facts == null ? null : facts.originalDestination;
  }

  /** The address the connection was accepted on; {@code null} for a non-IP channel. */
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /**
   * The destination chains are matched on: the restored original destination, else the local
   * address.
   */
  public InetSocketAddress destination() {
    return originalDestination != null ? originalDestination : localAddress;
  }

  /** The destination an iptables {@code REDIRECT} replaced; {@code null} when not redirected. */
  public InetSocketAddress originalDestination() {
    return originalDestination;
  }

  public void originalDestination(InetSocketAddress address) {
    this.originalDestination = address;
  }

  /** The TLS ClientHello's SNI, lower case; {@code null} when none was seen. */
  public String serverName() {
    return serverName;
  }

  public void serverName(String name) {
    this.serverName = name;
  }

  /** {@code tls} once the TLS inspector saw a ClientHello; {@code raw_buffer} otherwise. */
  public TransportProtocol transportProtocol() {
    return transportProtocol == null ? TransportProtocol.RAW_BUFFER : transportProtocol;
  }

  /** Whether a listener filter has set the transport protocol. */
  public boolean transportProtocolDetected() {
    return transportProtocol != null;
  }

  public void transportProtocol(TransportProtocol protocol) {
    this.transportProtocol = protocol;
  }

  /** ALPN from the ClientHello, or the HTTP inspector's finding; empty when none. */
  public List<String> applicationProtocols() {
    return applicationProtocols;
  }

  public void applicationProtocols(List<String> protocols) {
    this.applicationProtocols = List.copyOf(protocols);
  }
}
