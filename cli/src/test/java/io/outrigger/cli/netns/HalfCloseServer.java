package io.outrigger.cli.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client-first raw TCP protocol whose client half-closes: the server reads the request until the
 * client shuts its output, then answers with as many bytes as the request's decimal number asks for
 * (a repeating pattern), and closes. {@link #main} serves (argument {@code PORT}, prints {@code
 * ready}); {@link Client#main} is the client (arguments {@code HOST PORT BYTES}), which prints how
 * many bytes it read and whether each was the pattern's: {@code 8388608 ok}.
 *
 * <p>The answer comes after the client's FIN has crossed every hop, so every proxy in between must
 * keep writing towards a peer that has half-closed: the shape of a request/response over a
 * connection per request ({@code nc -N}, rsync's daemon protocol, a batch upload).
 */
public final class HalfCloseServer {
  private HalfCloseServer() {}

  public static void main(String[] args) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(Integer.parseInt(args[0])), 50);
    Thread t = new Thread(() -> serve(server), "half-close");
    t.start();
    System.out.println("ready");
    System.out.flush();
  }

  /** The byte at {@code offset} of every answer. */
  static byte pattern(long offset) {
    return (byte) ('a' + offset % 26);
  }

  private static void serve(ServerSocket server) {
    while (true) {
      try {
        Socket s = server.accept();
        new Thread(() -> answer(s), "half-close-conn").start();
      } catch (IOException e) {
        System.err.println("half-close: " + e.getMessage());
      }
    }
  }

  private static void answer(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      String request = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
      long size = Long.parseLong(request);
      byte[] chunk = new byte[64 * 1024];
      for (long sent = 0; sent < size; ) {
        int n = (int) Math.min(chunk.length, size - sent);
        for (int i = 0; i < n; i++) {
          chunk[i] = pattern(sent + i);
        }
        out.write(chunk, 0, n);
        sent += n;
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("half-close: " + e);
    }
  }

  /** The command line that runs this server with the test JVM's {@code java}. */
  public static List<String> command(int port) {
    List<String> command = java(HalfCloseServer.class);
    command.add(Integer.toString(port));
    return command;
  }

  /** The command line of a client asking {@code host:port} for {@code bytes}. */
  public static List<String> client(String host, int port, long bytes) {
    List<String> command = java(Client.class);
    command.addAll(List.of(host, Integer.toString(port), Long.toString(bytes)));
    return command;
  }

  private static List<String> java(Class<?> main) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx32m");
    command.add("-cp");
    command.add(
        Path.of(HalfCloseServer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString());
    command.add(main.getName());
    return command;
  }

  /** Sends the size, shuts its output, reads the answer to its end: prints {@code COUNT ok|bad}. */
  public static final class Client {
    private Client() {}

    public static void main(String[] args) throws IOException {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 5_000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write((args[2] + "\n").getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long count = 0;
        boolean ok = true;
        for (int n; (n = in.read(buf)) > 0; ) {
          for (int i = 0; i < n; i++) {
            ok &= buf[i] == pattern(count + i);
          }
          count += n;
        }
        System.out.println(count + (ok ? " ok" : " bad"));
      }
    }
  }
}
