package io.outrigger.proxy.admin;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * One request to the admin server.
 *
 * @param method GET or POST
 * @param path the path without the query
 * @param params the query parameters, decoded
 */
public record AdminRequest(HttpMethod method, String path, Map<String, List<String>> params) {
  public AdminRequest {
    params = Map.copyOf(params);
  }

  /** The first value of a query parameter, or {@code null}. */
  public String param(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
