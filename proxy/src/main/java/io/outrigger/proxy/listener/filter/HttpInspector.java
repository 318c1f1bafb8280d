package io.outrigger.proxy.listener.filter;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.outrigger.proxy.connection.ConnectionFacts;
import io.outrigger.proxy.stats.ListenerFilterStats;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code envoy.filters.listener.http_inspector}: tells HTTP from other protocols by a plaintext
 * connection's first bytes and sets the application protocol chains match on: {@code h2c} for the
 * HTTP/2 prior-knowledge preface, {@code http/1.1} or {@code http/1.0} for a request line of that
 * version, none for anything else ({@code http_inspector.http_not_found}), which then takes a chain
 * without {@code application_protocols}, as a TCP proxy.
 *
 * <p>As Envoy's: a TLS connection (the TLS inspector ran first) is not inspected; a request line
 * without its end within 64 KiB closes the connection ({@code http_inspector.read_error}); bytes
 * that cannot begin a request line decide at once, so a client that waits for the server to speak
 * first is held only by {@code listener_filters_timeout}. On that timeout with {@code
 * continue_on_listener_filters_timeout}, or when the client ends its side first, the connection is
 * counted as not HTTP and goes on as TCP.
 */
public final class HttpInspector implements ListenerFilter {
  /** Envoy's {@code MAX_INSPECT_SIZE}. */
  static final int MAX_INSPECT_SIZE = 64 * 1024;

  private static final byte[] H2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  private final ListenerFilterStats stats;

  public HttpInspector(ListenerFilterStats stats) {
    this.stats = requireNonNull(stats, "stats");
  }

  @Override
  public Status onAccept(Channel ch, ConnectionFacts facts) {
    return facts.transportProtocolDetected()
            && facts.transportProtocol()
                != io.outrigger.api.model.tls.FilterChainMatchConfig.TransportProtocol.RAW_BUFFER
        ? Status.CONTINUE
        : Status.NEED_DATA;
  }

  @Override
  public Status onData(ByteBuf bytes, ConnectionFacts facts) {
    String protocol;
    if (startsLikePreface(bytes)) {
      if (bytes.readableBytes() < H2_PREFACE.length) {
        return Status.NEED_DATA;
      }
      protocol = "h2c";
    } else {
      protocol = requestLineVersion(bytes);
      if (protocol == null) {
        return waitOrGiveUp(bytes);
      }
    }
    Counter found =
        switch (protocol) {
          case "h2c" -> stats.http2Found;
          case "http/1.1" -> stats.http11Found;
          case "http/1.0" -> stats.http10Found;
          default -> stats.httpNotFound;
        };
    found.increment();
    if (!protocol.isEmpty()) {
      facts.applicationProtocols(List.of(protocol));
    }
    return Status.CONTINUE;
  }

  private Status waitOrGiveUp(ByteBuf bytes) {
    if (bytes.readableBytes() >= MAX_INSPECT_SIZE) {
      stats.httpReadError.increment();
      return Status.CLOSE;
    }
    return Status.NEED_DATA;
  }

  @Override
  public void onGiveUp(ConnectionFacts facts) {
    stats.httpNotFound.increment();
  }

  private static boolean startsLikePreface(ByteBuf in) {
    int n = Math.min(in.readableBytes(), H2_PREFACE.length);
    for (int i = 0; i < n; i++) {
      if (in.getByte(in.readerIndex() + i) != H2_PREFACE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Scans {@code METHOD SP TARGET SP HTTP/1.d CRLF} (or a bare LF): the protocol when the line is
   * whole, {@code ""} as soon as a byte rules HTTP out, {@code null} when more bytes are needed.
   */
  static String requestLineVersion(ByteBuf in) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    int methodStart = i;
    while (i < end && isTokenChar(in.getByte(i))) {
      i++;
    }
    if (i == end) {
      return null;
    }
    if (i == methodStart || in.getByte(i) != ' ') {
      return "";
    }
    int targetStart = ++i;
    while (i < end && in.getByte(i) > ' ' && in.getByte(i) != 0x7f) {
      i++;
    }
    if (i == end) {
      return null;
    }
    if (i == targetStart || in.getByte(i) != ' ') {
      return "";
    }
    i++;
    for (byte expected : VERSION) {
      if (i == end) {
        return null;
      }
      if (in.getByte(i++) != expected) {
        return "";
      }
    }
    return versionTail(in, i, end);
  }

  /** After {@code HTTP/1.}: the minor digit and the line's end. */
  private static String versionTail(ByteBuf in, int i, int end) {
    if (i == end) {
      return null;
    }
    byte minor = in.getByte(i++);
    if (minor != '0' && minor != '1') {
      return "";
    }
    if (i < end && in.getByte(i) == '\r') {
      i++;
    }
    if (i == end) {
      return null;
    }
    return in.getByte(i) == '\n' ? (minor == '1' ? "http/1.1" : "http/1.0") : "";
  }

  private static boolean isTokenChar(byte b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || (b > 0 && TOKEN_CHARS.indexOf(b) >= 0);
  }
}
