package io.outrigger.proxy.listener.filter;

import io.netty.channel.Channel;
import io.outrigger.proxy.transport.RawSocketOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Reads the destination an iptables {@code REDIRECT} (or {@code DNAT}) replaced, from the accepted
 * socket.
 *
 * <p>The default, {@link #SOCKET}, asks the kernel with {@code getsockopt(SOL_IP, SO_ORIGINAL_DST)}
 * ({@code SOL_IPV6, IP6T_SO_ORIGINAL_DST} for IPv6) through {@link RawSocketOptions}, on either
 * transport (on NIO, when {@link RawSocketOptions#unavailableOn} says it can).
 *
 * <p>Threading: called on the connection's event loop; the system call does not block.
 */
@FunctionalInterface
public interface OriginalDestinationReader {
  /**
   * @return the original destination; {@code null} when it cannot be read (no conntrack entry, not
   *     an IP socket, a NIO transport that cannot read raw options)
   */
  InetSocketAddress read(Channel ch);

  /** {@code getsockopt} on the channel's socket, IPv4 or IPv6 by the local address's family. */
  OriginalDestinationReader SOCKET = SocketOriginalDestination::read;

  /** {@code SO_ORIGINAL_DST} through {@link RawSocketOptions}. */
  final class SocketOriginalDestination {
    private static final int SOL_IP = 0;
    private static final int SOL_IPV6 = 41;
    private static final int SO_ORIGINAL_DST = 80; // IP6T_SO_ORIGINAL_DST is 80 too
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;

    private SocketOriginalDestination() {}

    static InetSocketAddress read(Channel ch) {
      if (!(ch.localAddress() instanceof InetSocketAddress local)) {
        return null;
      }
      boolean v6 = local.getAddress().getAddress().length == 16;
      ByteBuffer sockaddr;
      try {
        sockaddr =
            RawSocketOptions.get(
                ch, v6 ? SOL_IPV6 : SOL_IP, SO_ORIGINAL_DST, v6 ? SOCKADDR_IN6 : SOCKADDR_IN);
      } catch (IOException e) { // ENOENT without a conntrack entry
        return null;
      }
      return sockaddr == null ? null : parse(sockaddr, v6);
    }

    /**
     * A {@code sockaddr_in} (family, port, 4 address bytes) or {@code sockaddr_in6} (family, port,
     * flow info, 16 address bytes, scope); the port and address are in network byte order.
     */
    static InetSocketAddress parse(ByteBuffer sockaddr, boolean v6) {
      int length = v6 ? 16 : 4;
      int offset = v6 ? 8 : 4;
      if (sockaddr.remaining() < offset + length) {
        return null;
      }
      int port = ((sockaddr.get(2) & 0xff) << 8) | (sockaddr.get(3) & 0xff);
      byte[] address = new byte[length];
      for (int i = 0; i < length; i++) {
        address[i] = sockaddr.get(offset + i);
      }
      try {
        return new InetSocketAddress(InetAddress.getByAddress(address), port);
      } catch (UnknownHostException e) {
        return null; // only for a wrong length, excluded above
      }
    }
  }
}
