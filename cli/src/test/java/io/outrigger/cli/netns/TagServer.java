package io.outrigger.cli.netns;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that listens on several addresses and answers every connection with the name of the
 * listener that accepted it, then closes: run in a namespace to see where a connection landed.
 *
 * <p>Arguments: {@code NAME=ADDRESS:PORT ...}. Prints {@code ready} once every socket is bound.
 */
public final class TagServer {
  private TagServer() {}

  public static void main(String[] args) throws IOException {
    List<Thread> threads = new ArrayList<>();
    for (String arg : args) {
      String name = arg.substring(0, arg.indexOf('='));
      String address = arg.substring(arg.indexOf('=') + 1, arg.lastIndexOf(':'));
      int port = Integer.parseInt(arg.substring(arg.lastIndexOf(':') + 1));
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
      threads.add(new Thread(() -> serve(server, name), "tag-" + name));
    }
    threads.forEach(Thread::start);
    System.out.println("ready");
    System.out.flush();
  }

  /** The command line that runs this server with the test JVM's {@code java}. */
  public static List<String> command(String... listeners) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx32m");
    command.add("-cp");
    command.add(
        Path.of(TagServer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString());
    command.add(TagServer.class.getName());
    command.addAll(List.of(listeners));
    return command;
  }

  private static void serve(ServerSocket server, String name) {
    while (true) {
      try (Socket s = server.accept();
          OutputStream out = s.getOutputStream()) {
        out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        System.err.println(name + ": " + e.getMessage());
      }
    }
  }
}
