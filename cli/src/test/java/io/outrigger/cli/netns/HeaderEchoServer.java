package io.outrigger.cli.netns;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain HTTP server that knows nothing of any mesh: it answers every request with the request's
 * headers, one {@code name: value} per line, lower-cased names, sorted. Run in a namespace to see
 * what a workload behind a sidecar receives. Argument: {@code PORT}. Prints {@code ready}.
 */
public final class HeaderEchoServer {
  private HeaderEchoServer() {}

  public static void main(String[] args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 50);
    server.createContext(
        "/",
        exchange -> {
          Map<String, List<String>> sorted = new TreeMap<>();
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> sorted.put(k.toLowerCase(java.util.Locale.ROOT), v));
          StringBuilder body = new StringBuilder();
          sorted.forEach(
              (k, v) -> v.forEach(value -> body.append(k).append(": ").append(value).append('\n')));
          byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    System.out.println("ready");
    System.out.flush();
  }

  /** The command line that runs this server with the test JVM's {@code java}. */
  public static List<String> command(int port) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx32m");
    command.add("-cp");
    command.add(
        Path.of(
                HeaderEchoServer.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath())
            .toString());
    command.add(HeaderEchoServer.class.getName());
    command.add(Integer.toString(port));
    return command;
  }
}
