package io.outrigger.kvstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A directed network link for tests: a TCP relay on 127.0.0.1, port 0, to a target resolved at
 * connection time. {@link #cut()} closes every open connection and refuses new ones (accepted, then
 * closed at once) until {@link #heal()}; {@link #blackhole()} accepts and never answers, as a
 * dropped packet would. Blocking threads are fine here: this is the test's network, not the data
 * path.
 */
final class Link implements AutoCloseable {
  private enum State {
    UP,
    CUT,
    BLACKHOLE
  }

  private final ServerSocket server;
  private final Supplier<InetSocketAddress> target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile State state = State.UP;

  Link(String name, Supplier<InetSocketAddress> target) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = target;
    Thread t = new Thread(this::accept, "link-" + name);
    t.setDaemon(true);
    t.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  void cut() {
    state = State.CUT;
    closeAll();
  }

  void blackhole() {
    state = State.BLACKHOLE;
    closeAll();
  }

  void heal() {
    state = State.UP;
  }

  private void closeAll() {
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return;
      }
      State now = state;
      if (now == State.CUT) {
        closeQuietly(in);
        continue;
      }
      open.add(in);
      if (now == State.BLACKHOLE) {
        continue;
      }
      try {
        Socket out = new Socket();
        out.connect(target.get(), 1000);
        open.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        closeQuietly(in);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream i = from.getInputStream();
                  OutputStream o = to.getOutputStream()) {
                for (int n; (n = i.read(buf)) >= 0; ) {
                  o.write(buf, 0, n);
                  o.flush();
                }
              } catch (IOException e) {
                // a closed side ends the pump
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "link-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    closeAll();
  }
}
