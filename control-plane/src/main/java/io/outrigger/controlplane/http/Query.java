package io.outrigger.controlplane.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Path segments and query parameters of a request. */
final class Query {
  private Query() {}

  /** The decoded segments after {@code prefix}, e.g. {@code [clusters, kv]}. */
  static List<String> segments(HttpExchange exchange, String prefix) {
    String path = exchange.getRequestURI().getRawPath();
    String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
    List<String> out = new ArrayList<>();
    for (String s : rest.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s, UTF_8));
      }
    }
    return out;
  }

  /** The first value of query parameter {@code name}. */
  static Optional<String> param(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
      if (key.equals(name)) {
        return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8));
      }
    }
    return Optional.empty();
  }
}
