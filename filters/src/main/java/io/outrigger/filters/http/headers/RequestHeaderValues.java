package io.outrigger.filters.http.headers;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * A request header as Envoy's header matchers see it: {@code :method}, {@code :path} and {@code
 * :authority} from the request line and {@code host}, other headers with their values joined by
 * {@code ","}.
 */
public final class RequestHeaderValues {
  private RequestHeaderValues() {}

  /**
   * @param name lower-case, possibly a pseudo-header
   * @return the value, or {@code null} when the request has no such header
   */
  public static String get(HttpRequest request, String name) {
    switch (name) {
      case ":authority":
        return request.headers().get(HttpHeaderNames.HOST);
      case ":method":
        return request.method().name();
      case ":path":
        return request.uri();
      default:
        List<String> values = request.headers().getAll(name);
        if (values.isEmpty()) {
          return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }
  }

  /** The request's path without its query string. */
  public static String pathWithoutQuery(HttpRequest request) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
