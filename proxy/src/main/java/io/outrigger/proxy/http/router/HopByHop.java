package io.outrigger.proxy.http.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
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
      stripConnection(h, keepUpgrade);
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

  /**
   * Removes {@code Connection} and every header it names. The usual {@code Connection} is one
   * header with one token ({@code keep-alive}, {@code close}): that takes no list and no split, a
   * token that is the whole value is the value itself; several tokens or headers take a list.
   */
  private static void stripConnection(HttpHeaders h, boolean keepUpgrade) {
    String single = null;
    List<String> several = null;
    Iterator<? extends CharSequence> values =
        h.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
    while (values.hasNext()) {
      String value = values.next().toString();
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        String t = value.substring(start, end).trim();
        if (!t.isEmpty()) {
          if (single == null && several == null) {
            single = t;
          } else {
            if (several == null) {
              several = new ArrayList<>(4);
              several.add(single);
            }
            several.add(t);
          }
        }
        start = end + 1;
      }
    }
    h.remove(HttpHeaderNames.CONNECTION);
    if (several == null) {
      removeNamed(h, single, keepUpgrade);
    } else {
      for (int i = 0; i < several.size(); i++) {
        removeNamed(h, several.get(i), keepUpgrade);
      }
    }
  }

  private static void removeNamed(HttpHeaders h, String name, boolean keepUpgrade) {
    if (name != null && !(keepUpgrade && name.equalsIgnoreCase("upgrade"))) {
      h.remove(name);
    }
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
