package io.outrigger.cli.intercept;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A plain HTTP server, run by the namespace test inside its network namespace: on each {@code port}
 * of {@code address} it answers every request with {@code hello from ADDRESS:PORT}, so the test
 * sees which destination a request really reached. JDK classes only, so that {@code ip netns exec
 * NS java -cp test-classes} can start it.
 */
public final class NamespaceHttpServer {
  private NamespaceHttpServer() {}

  /** {@code address port...}; runs until killed. */
  public static void main(String[] args) throws IOException {
    InetAddress address = InetAddress.getByName(args[0]);
    for (int i = 1; i < args.length; i++) {
      InetSocketAddress bind = new InetSocketAddress(address, Integer.parseInt(args[i]));
      HttpServer server = HttpServer.create(bind, 16);
      byte[] body =
          ("hello from " + address.getHostAddress() + ":" + bind.getPort())
              .getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/",
          ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
    }
  }
}
