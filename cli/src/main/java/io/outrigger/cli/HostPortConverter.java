package io.outrigger.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine;

/** {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}) as an unresolved-free socket address. */
final class HostPortConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
  @Override
  public InetSocketAddress convert(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new CommandLine.TypeConversionException(
          "\"" + value + "\" (expected: HOST:PORT, e.g. 127.0.0.1:18000)");
    }
    String host = value.substring(0, colon).replaceAll("^\\[|\\]$", "");
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("\"" + value + "\": port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new CommandLine.TypeConversionException(
          "\"" + value + "\": port " + port + " (expected: 0..65535)");
    }
    return new InetSocketAddress(host, port);
  }
}
