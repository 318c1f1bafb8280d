package io.outrigger.proxy.http.route;

import java.util.List;

/**
 * What routing reads from a request. The connection manager adapts its HTTP/1.1 or HTTP/2 request
 * to this view; routing never changes the request.
 */
public interface RouteRequest {
  /** The method, e.g. {@code GET}. */
  String method();

  /** {@code http} or {@code https}, as the connection manager determined it. */
  String scheme();

  /** The {@code Host} header or {@code :authority}, possibly with a port; may be empty. */
  String authority();

  /** The request target in origin form, with its query: {@code /a/b?x=1}. */
  String path();

  /** The first value of a header, or null; {@code lowerCaseName} is lower-case. */
  String header(String lowerCaseName);

  /** Every value of a header in order, empty when absent; {@code lowerCaseName} is lower-case. */
  List<String> headers(String lowerCaseName);

  /** The downstream client's IP address as text, or null when unknown. */
  String remoteAddress();
}
