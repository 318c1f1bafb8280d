package io.outrigger.proxy.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted TCP upstream on 127.0.0.1, port 0, with plain blocking sockets (test threads, never an
 * event loop). Each accepted connection runs the {@link Behaviour} given at start.
 */
public final class TcpUpstream implements AutoCloseable {
  /** What the upstream does with one accepted connection. */
  @FunctionalInterface
  public interface Behaviour {
    void serve(Socket socket, TcpUpstream upstream) throws IOException;
  }

  /** Echoes every byte back; half-closes its side after reading EOF. */
  public static final Behaviour ECHO =
      (s, u) -> {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          u.bytesRead.addAndGet(n);
          out.write(buf, 0, n);
          u.bytesWritten.addAndGet(n);
        }
        s.shutdownOutput();
      };

  /** Resets the connection at once (SO_LINGER 0 then close sends RST). */
  public static final Behaviour RESET =
      (s, u) -> {
        s.setSoLinger(true, 0);
        s.close();
      };

  /** Writes {@code total} bytes of a known pattern as fast as the socket takes them. */
  public static Behaviour source(long total) {
    return (s, u) -> {
      OutputStream out = s.getOutputStream();
      byte[] chunk = new byte[64 * 1024];
      long sent = 0;
      while (sent < total) {
        int n = (int) Math.min(chunk.length, total - sent);
        Patterns.fill(chunk, sent, n);
        out.write(chunk, 0, n);
        sent += n;
        u.bytesWritten.addAndGet(n);
      }
      s.shutdownOutput();
      s.getInputStream().read(); // wait for the peer to close
    };
  }

  /**
   * Reads an HTTP/1.1 request head from {@code in}, up to its blank line, for a behaviour that
   * answers requests; false when the stream ends first.
   */
  public static boolean readHead(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
    }
    return true;
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  final AtomicLong bytesRead = new AtomicLong();
  final AtomicLong bytesWritten = new AtomicLong();

  private TcpUpstream(Behaviour behaviour) throws IOException {
    server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    threads.execute(() -> acceptLoop(behaviour));
  }

  public static TcpUpstream start(Behaviour behaviour) throws IOException {
    return new TcpUpstream(behaviour);
  }

  private void acceptLoop(Behaviour behaviour) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        sockets.add(s);
        threads.execute(
            () -> {
              try (s) {
                behaviour.serve(s, this);
              } catch (IOException e) {
                // the proxy closed or reset: part of what tests provoke
              }
            });
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        return;
      }
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  public int accepted() {
    return accepted.get();
  }

  public long bytesRead() {
    return bytesRead.get();
  }

  public long bytesWritten() {
    return bytesWritten.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    threads.shutdownNow();
  }
}
