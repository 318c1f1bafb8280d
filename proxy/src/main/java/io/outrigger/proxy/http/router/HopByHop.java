package io.outrigger.proxy.http.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the headers that belong to one connection and must not cross the proxy (RFC 9110 7.6.1):
 * {@code Connection} and every header it names, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code TE} (except {@code trailers}), {@code Transfer-Encoding}, and {@code Upgrade} unless the
 * request is an upgrade that passes.
 *
 * <p>It lives with the router, which strips each response it relays; the connection manager, which
 * sits above the router, strips each request with it before routing.
 */
public final class HopByHop {
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

  private HopByHop() {}

  /**
   * @param keepUpgrade whether {@code Upgrade} and {@code Connection: upgrade} stay (a permitted
   *     upgrade request or its 101 answer)
   */
  public static void strip(HttpHeaders h, boolean keepUpgrade) {
    if (h.contains(HttpHeaderNames.CONNECTION)) { // most requests have none: nothing to allocate
      List<String> named = connectionTokens(h);
      h.remove(HttpHeaderNames.CONNECTION);
      for (String name : named) {
        if (!(keepUpgrade && name.equalsIgnoreCase("upgrade"))) {
          h.remove(name);
        }
      }
    }
    h.remove(HttpHeaderNames.KEEP_ALIVE);
    h.remove(PROXY_CONNECTION);
    h.remove(HttpHeaderNames.TRANSFER_ENCODING);
    String te = h.get(HttpHeaderNames.TE);
    if (te != null) {
      if (containsToken(te, "trailers")) {
        h.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
      } else {
        h.remove(HttpHeaderNames.TE);
      }
    }
    if (keepUpgrade) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    } else {
      h.remove(HttpHeaderNames.UPGRADE);
    }
  }

  private static List<String> connectionTokens(HttpHeaders h) {
    List<String> out = new ArrayList<>(2);
    for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Whether the comma-separated header value holds {@code token} (case-insensitive). */
  public static boolean containsToken(String value, String token) {
    for (String t : value.split(",")) {
      if (t.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }
}
