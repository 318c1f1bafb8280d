package io.outrigger.proxy.listener.filter;

import io.netty.channel.Channel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Reads the destination an iptables {@code REDIRECT} (or {@code DNAT}) replaced, from the accepted
 * socket.
 *
 * <p>The default, {@link #SOCKET}, asks the kernel with {@code getsockopt(SOL_IP, SO_ORIGINAL_DST)}
 * ({@code SOL_IPV6, IP6T_SO_ORIGINAL_DST} for IPv6) through Netty's own {@link
 * RawUnixChannelOption}, so it works on the native epoll transport only: a NIO channel has no such
 * option and reads nothing.
 *
 * <p>Threading: called on the connection's event loop; the system call does not block.
 */
@FunctionalInterface
public interface OriginalDestinationReader {
  /**
   * @return the original destination; {@code null} when it cannot be read (NIO transport, no
   *     conntrack entry, not an IP socket)
   */
  InetSocketAddress read(Channel ch);

  /** {@code getsockopt} on the channel's socket, IPv4 or IPv6 by the local address's family. */
  OriginalDestinationReader SOCKET = SocketOriginalDestination::read;

  /** {@code SO_ORIGINAL_DST} through Netty's raw socket options. */
  final class SocketOriginalDestination {
    private static final int SOL_IP = 0;
    private static final int SOL_IPV6 = 41;
    private static final int SO_ORIGINAL_DST = 80; // IP6T_SO_ORIGINAL_DST is 80 too
    private static final RawUnixChannelOption V4 =
        new RawUnixChannelOption("SO_ORIGINAL_DST", SOL_IP, SO_ORIGINAL_DST, 16);
    private static final RawUnixChannelOption V6 =
        new RawUnixChannelOption("IP6T_SO_ORIGINAL_DST", SOL_IPV6, SO_ORIGINAL_DST, 28);

    private SocketOriginalDestination() {}

    static InetSocketAddress read(Channel ch) {
      if (!(ch.localAddress() instanceof InetSocketAddress local)) {
        return null;
      }
      boolean v6 = local.getAddress().getAddress().length == 16;
      ByteBuffer sockaddr;
      try {
        sockaddr = ch.config().getOption(v6 ? V6 : V4);
      } catch (RuntimeException e) { // ChannelException: ENOENT without a conntrack entry
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
