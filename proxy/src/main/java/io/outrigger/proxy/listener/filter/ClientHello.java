package io.outrigger.proxy.listener.filter;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the server name (SNI) and the ALPN protocols of a TLS ClientHello from a connection's first
 * bytes, without consuming them. The ClientHello may span several TLS records; it is gathered up to
 * {@link #MAX_SIZE} bytes.
 */
final class ClientHello {
  /** Envoy's default {@code max_client_hello_size}: 64 KiB. */
  static final int MAX_SIZE = 64 * 1024;

  private static final int RECORD_HEADER = 5;
  private static final int HANDSHAKE = 22;
  private static final int CLIENT_HELLO = 1;
  private static final int EXT_SERVER_NAME = 0;
  private static final int EXT_ALPN = 16;

  /** What the first bytes are. */
  sealed interface Result permits NeedMore, NotTls, TooLarge, Found {}

  /** Not enough bytes yet to decide. */
  record NeedMore() implements Result {}

  /** Not a TLS ClientHello (or a malformed one): the connection is plaintext. */
  record NotTls() implements Result {}

  /** A ClientHello larger than {@link #MAX_SIZE}. */
  record TooLarge() implements Result {}

  /**
   * A ClientHello.
   *
   * @param serverName the SNI host name, lower case; {@code null} when none was sent
   * @param alpn the ALPN protocols in the client's order; empty when none were offered
   */
  record Found(String serverName, List<String> alpn) implements Result {}

  private static final Result NEED_MORE = new NeedMore();
  private static final Result NOT_TLS = new NotTls();

  private ClientHello() {}

  /** Reads {@code in} from its reader index; moves no index. */
  static Result parse(ByteBuf in) {
    int start = in.readerIndex();
    int available = in.readableBytes();
    if (available < RECORD_HEADER) {
      return available > 0 && in.getUnsignedByte(start) != HANDSHAKE ? NOT_TLS : NEED_MORE;
    }
    if (!isHandshakeRecord(in, start)) {
      return NOT_TLS;
    }
    if (available >= RECORD_HEADER + 4) { // the handshake header decides early
      if (in.getUnsignedByte(start + RECORD_HEADER) != CLIENT_HELLO) {
        return NOT_TLS;
      }
      if (in.getUnsignedMedium(start + RECORD_HEADER + 1) + 4 > MAX_SIZE) {
        return new TooLarge();
      }
    }
    // Gather the handshake bytes of consecutive records until the ClientHello is whole.
    ByteBuf handshake = in.alloc().heapBuffer();
    try {
      int offset = start;
      while (true) {
        if (handshake.readableBytes() >= 4) {
          int type = handshake.getUnsignedByte(0);
          int length = handshake.getUnsignedMedium(1);
          if (type != CLIENT_HELLO) {
            return NOT_TLS;
          }
          if (length + 4 > MAX_SIZE) {
            return new TooLarge();
          }
          if (handshake.readableBytes() >= length + 4) {
            return body(handshake.slice(4, length));
          }
        }
        if (start + available - offset < RECORD_HEADER) {
          return NEED_MORE;
        }
        if (!isHandshakeRecord(in, offset)) {
          return NOT_TLS;
        }
        int recordLength = in.getUnsignedShort(offset + 3);
        if (start + available - offset < RECORD_HEADER + recordLength) {
          return handshake.readableBytes() + recordLength > MAX_SIZE ? new TooLarge() : NEED_MORE;
        }
        handshake.writeBytes(in, offset + RECORD_HEADER, recordLength);
        offset += RECORD_HEADER + recordLength;
      }
    } finally {
      handshake.release();
    }
  }

  private static boolean isHandshakeRecord(ByteBuf in, int offset) {
    return in.getUnsignedByte(offset) == HANDSHAKE && in.getUnsignedByte(offset + 1) == 3;
  }

  /** The ClientHello body: version, random, session id, suites, compression, extensions. */
  private static Result body(ByteBuf b) {
    try {
      b.skipBytes(2 + 32);
      b.skipBytes(b.readUnsignedByte());
      b.skipBytes(b.readUnsignedShort());
      b.skipBytes(b.readUnsignedByte());
      String serverName = null;
      List<String> alpn = List.of();
      if (b.readableBytes() >= 2) {
        ByteBuf extensions = b.readSlice(b.readUnsignedShort());
        while (extensions.readableBytes() >= 4) {
          int type = extensions.readUnsignedShort();
          ByteBuf data = extensions.readSlice(extensions.readUnsignedShort());
          if (type == EXT_SERVER_NAME) {
            serverName = serverName(data);
          } else if (type == EXT_ALPN) {
            alpn = alpn(data);
          }
        }
      }
      return new Found(serverName, alpn);
    } catch (IndexOutOfBoundsException e) {
      return NOT_TLS; // lengths that overrun their container: not a ClientHello we can read
    }
  }

  private static String serverName(ByteBuf data) {
    ByteBuf list = data.readSlice(data.readUnsignedShort());
    while (list.isReadable()) {
      int nameType = list.readUnsignedByte();
      ByteBuf name = list.readSlice(list.readUnsignedShort());
      if (nameType == 0) {
        return name.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  private static List<String> alpn(ByteBuf data) {
    ByteBuf list = data.readSlice(data.readUnsignedShort());
    List<String> out = new ArrayList<>();
    while (list.isReadable()) {
      out.add(list.readSlice(list.readUnsignedByte()).toString(StandardCharsets.US_ASCII));
    }
    return out;
  }
}
