package io.outrigger.proxy.xds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One HTTP/1.1 keep-alive connection, so that a test knows every request used the same socket. */
final class RawHttpConnection implements AutoCloseable {
  /** A status and a body. */
  record Response(int status, String body) {}

  private final Socket socket;
  private final InputStream in;

  RawHttpConnection(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 2000);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
  }

  Response get(String path) throws IOException {
    String request = "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    int length = 0;
    String header;
    while (!(header = line()).isEmpty()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      }
    }
    return new Response(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
