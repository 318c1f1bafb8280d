package io.outrigger.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * {@code getsockopt} for the options neither the JDK nor Netty's channel options name, such as
 * {@code SO_ORIGINAL_DST}, on a connected channel of either transport.
 *
 * <p>Epoll channels answer through Netty's {@link RawUnixChannelOption}. A NIO channel's socket is
 * the JDK's {@code sun.nio.ch.SocketChannelImpl}, whose file descriptor this reads ({@code
 * SelChImpl.getFDVal()}) and hands to Netty's native {@link Socket#getRawOpt}, without taking it
 * over: the JDK still owns and closes it. That needs two things, checked once: Netty's native
 * library (it ships in the jar for Linux x86_64 and aarch64) and {@code java.base}'s package {@code
 * sun.nio.ch} exported to Outrigger's classes, which the jar's manifest does for {@code java -jar}
 * ({@code Add-Exports: java.base/sun.nio.ch}) and a launcher that uses {@code -cp} does with {@code
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED}.
 *
 * <p>Why NIO needs this at all: the sidecar runs on NIO because of the epoll half-close bug (see
 * {@link Transport}), and interception must not depend on epoll.
 *
 * <p>Threading: any thread; the system call does not block.
 */
public final class RawSocketOptions {
  private static final MethodHandle JAVA_CHANNEL;
  private static final MethodHandle FD_VAL;
  private static final String NIO_UNAVAILABLE;

  static {
    MethodHandle javaChannel = null;
    MethodHandle fdVal = null;
    String why = null;
    try {
      if (!Epoll.isAvailable()) {
        throw new IllegalStateException(
            "Netty's native library did not load: " + Epoll.unavailabilityCause());
      }
      Method m = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
      m.setAccessible(true); // Netty's own class, in the same (unnamed) module
      javaChannel =
          MethodHandles.lookup()
              .unreflect(m)
              .asType(MethodType.methodType(SelectableChannel.class, Channel.class));
      Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
      if (!Object.class.getModule().isExported("sun.nio.ch", RawSocketOptions.class.getModule())) {
        throw new IllegalStateException(
            "java.base does not export sun.nio.ch to Outrigger (run with --add-exports"
                + " java.base/sun.nio.ch=ALL-UNNAMED, or java -jar outrigger.jar)");
      }
      fdVal =
          MethodHandles.lookup()
              .findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
              .asType(MethodType.methodType(int.class, SelectableChannel.class));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      why = e.getMessage() == null ? e.toString() : e.getMessage();
      javaChannel = null;
      fdVal = null;
    }
    JAVA_CHANNEL = javaChannel;
    FD_VAL = fdVal;
    NIO_UNAVAILABLE = why;
  }

  private RawSocketOptions() {}

  /**
   * Why raw socket options cannot be read on {@code transport}'s channels; {@code null} when they
   * can.
   */
  public static String unavailableOn(Transport transport) {
    return transport == Transport.EPOLL ? null : NIO_UNAVAILABLE;
  }

  /**
   * {@code getsockopt(level, optname)} on {@code ch}'s socket.
   *
   * @param length the size of the option's value, bytes
   * @return the value, from position 0 to its length
   * @throws IOException when the kernel refuses (for {@code SO_ORIGINAL_DST}: {@code ENOENT}, no
   *     conntrack entry), or when the channel's transport cannot read raw options
   */
  public static ByteBuffer get(Channel ch, int level, int optname, int length) throws IOException {
    if (ch instanceof UnixChannel) {
      try {
        return ch.config().getOption(new RawUnixChannelOption("raw", level, optname, length));
      } catch (RuntimeException e) { // ChannelException wrapping the errno
        throw new IOException(e.getMessage(), e);
      }
    }
    if (!(ch instanceof AbstractNioChannel)) {
      throw new IOException("no socket behind " + ch.getClass().getSimpleName());
    }
    if (NIO_UNAVAILABLE != null) {
      throw new IOException(NIO_UNAVAILABLE);
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    try {
      // Never closed: the JDK owns the descriptor.
      new Socket(fd(ch)).getRawOpt(level, optname, out);
    } catch (RuntimeException e) { // the native call reports errno as a ChannelException
      throw new IOException(e.getMessage(), e);
    }
    return out.flip();
  }

  private static int fd(Channel ch) throws IOException {
    try {
      SelectableChannel javaChannel = (SelectableChannel) JAVA_CHANNEL.invokeExact(ch);
      int fd = (int) FD_VAL.invokeExact(javaChannel);
      if (fd < 0) {
        throw new IOException("the socket is closed");
      }
      return fd;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException(e);
    }
  }
}
