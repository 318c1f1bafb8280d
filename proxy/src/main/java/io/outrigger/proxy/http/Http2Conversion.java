package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.EmptyHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.outrigger.proxy.codec.CompactHeaders;
import io.outrigger.proxy.codec.KnownHeaderNames;
import java.util.Iterator;
import java.util.Map;

/**
 * Converts a downstream HTTP/2 stream's header blocks to the HTTP/1.1 objects an {@link HttpStream}
 * consumes, and a response's headers back, with the semantics of Netty's {@link HttpConversionUtil}
 * (4.2) and without what that conversion adds only to be removed again.
 *
 * <p>The request: {@code :authority} becomes {@code Host} (a {@code host} header that repeats it is
 * dropped, one that contradicts it is a stream error), cookies are joined with {@code "; "} (RFC
 * 9113 8.2.3), Netty's {@code x-http2-*} names sent by the client are dropped, and {@code
 * Transfer-Encoding}, {@code Trailer} and {@code Connection} go. Unlike Netty's conversion it adds
 * no {@code x-http2-scheme}, {@code x-http2-path} or {@code x-http2-stream-id} header, and a whole
 * request's trailers are the shared empty headers (nothing adds trailers to a request). Values are
 * not validated again: {@link Http2RequestValidator} did, and the HPACK decoder checked the names.
 *
 * <p>The response: names in lower case (a shared lower-case name for the common title-case names an
 * upstream sends, instead of a new one per header), without the connection-specific headers HTTP/2
 * forbids and Netty's extension names. A response that still holds {@code Connection}, {@code TE}
 * or {@code Cookie} (the router strips hop-by-hop headers first, so this is rare) goes through
 * Netty's conversion, which handles them.
 *
 * <p>Stateless.
 */
final class Http2Conversion {
  private static final HttpHeadersFactory HEADERS = CompactHeaders.UNVALIDATED;

  private static final AsciiString AUTHORITY = Http2Headers.PseudoHeaderName.AUTHORITY.value();
  private static final AsciiString EXTENSION_PREFIX = AsciiString.cached("x-http2-");
  private static final AsciiString[] EXTENSION_NAMES = extensionNames();

  /**
   * Names a response's HEADERS block leaves out, as Netty's conversion does: those HTTP/2 does not
   * carry (RFC 9113 8.2.2) and four of its extension names.
   */
  private static final AsciiString[] NOT_IN_HTTP2 = {
    HttpHeaderNames.KEEP_ALIVE,
    HttpHeaderNames.PROXY_CONNECTION,
    HttpHeaderNames.TRANSFER_ENCODING,
    HttpHeaderNames.HOST,
    HttpHeaderNames.UPGRADE,
    HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
    HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
    HttpConversionUtil.ExtensionHeaderNames.PATH.text(),
    HttpConversionUtil.ExtensionHeaderNames.PROTOCOL.text()
  };

  /** Names Netty's conversion treats specially; a response holding one goes through it. */
  private static final AsciiString[] SPECIAL = {
    HttpHeaderNames.CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.COOKIE
  };

  private Http2Conversion() {}

  /**
   * The request of a stream's first HEADERS block: whole, with {@code content} as its (empty) body,
   * when {@code content} is not null.
   *
   * @throws Http2Exception a stream error when HTTP/1.1 cannot express the block
   */
  static HttpRequest request(int streamId, Http2Headers h2, ByteBuf content) throws Http2Exception {
    CharSequence methodName = h2.method();
    if (methodName == null) {
      throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR, "no :method");
    }
    HttpMethod method = HttpMethod.valueOf(methodName.toString());
    boolean connect = HttpMethod.CONNECT.equals(method);
    CharSequence target = connect ? h2.authority() : h2.path();
    if (target == null) {
      throw Http2Exception.streamError(
          streamId, Http2Error.PROTOCOL_ERROR, connect ? "no :authority" : "no :path");
    }
    HttpHeaders headers = HEADERS.newHeaders();
    translate(streamId, h2, headers);
    headers.remove(HttpHeaderNames.CONNECTION);
    String uri = target.toString();
    if (content == null) {
      return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, headers);
    }
    return new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, method, uri, content, headers, EmptyHttpHeaders.INSTANCE);
  }

  /** Adds a request's trailers (a HEADERS block after the request's) to {@code trailers}. */
  static void trailers(int streamId, Http2Headers h2, HttpHeaders trailers) throws Http2Exception {
    translate(streamId, h2, trailers);
  }

  /**
   * The HTTP/1.1 headers of {@code h2}, as Netty's {@code Http2ToHttpHeaderTranslator} makes them
   * for a request, without its extension headers; then without {@code Transfer-Encoding} and {@code
   * Trailer}.
   */
  private static void translate(int streamId, Http2Headers h2, HttpHeaders out)
      throws Http2Exception {
    StringBuilder cookies = null;
    boolean hostSeen = false;
    Iterator<Map.Entry<CharSequence, CharSequence>> it = h2.iterator();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      CharSequence name = e.getKey();
      CharSequence value = e.getValue();
      if (name.length() == 0) {
        throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR, "empty header name");
      }
      if (name.charAt(0) == ':') {
        if (AUTHORITY.contentEquals(name)) {
          hostSeen = true;
          out.add(HttpHeaderNames.HOST, AsciiString.of(value));
        } else if (!Http2Headers.PseudoHeaderName.isPseudoHeader(name)) {
          throw Http2Exception.streamError(
              streamId, Http2Error.PROTOCOL_ERROR, "Invalid HTTP/2 header '%s'", name);
        }
      } else if (isExtensionName(name)) {
        continue;
      } else if (HttpHeaderNames.COOKIE.contentEquals(name)) {
        if (cookies == null) {
          cookies = new StringBuilder(value.length() + 16);
        } else if (cookies.length() > 0) {
          cookies.append("; ");
        }
        cookies.append(value);
      } else if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
        if (hostSeen) {
          if (!AsciiString.contentEqualsIgnoreCase(out.get(HttpHeaderNames.HOST), value)) {
            throw Http2Exception.streamError(
                streamId, Http2Error.PROTOCOL_ERROR, "Conflicting ':authority' and 'host' headers");
          }
        } else {
          hostSeen = true;
          out.add(name, value);
        }
      } else {
        out.add(name, value);
      }
    }
    if (cookies != null) {
      out.add(HttpHeaderNames.COOKIE, cookies.toString());
    }
    out.remove(HttpHeaderNames.TRANSFER_ENCODING);
    out.remove(HttpHeaderNames.TRAILER);
  }

  private static boolean isExtensionName(CharSequence name) {
    if (name.length() <= EXTENSION_PREFIX.length()
        || !AsciiString.regionMatches(
            name, false, 0, EXTENSION_PREFIX, 0, EXTENSION_PREFIX.length())) {
      return false;
    }
    for (AsciiString n : EXTENSION_NAMES) {
      if (n.contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The HEADERS block of a response (its status and headers). */
  static Http2Headers response(HttpResponse response) {
    HttpHeaders in = response.headers();
    Http2Headers out = new DefaultHttp2Headers(false, in.size() + 1);
    out.status(response.status().codeAsText());
    return append(in, out) ? out : HttpConversionUtil.toHttp2Headers(response, false);
  }

  /** The HEADERS block of a response's trailers. */
  static Http2Headers trailers(HttpHeaders trailers) {
    if (trailers.isEmpty()) {
      return EmptyHttp2Headers.INSTANCE;
    }
    Http2Headers out = new DefaultHttp2Headers(false, trailers.size());
    return append(trailers, out) ? out : HttpConversionUtil.toHttp2Headers(trailers, false);
  }

  /**
   * Adds {@code in}'s headers to {@code out} with lower-case names, leaving out what HTTP/2 does
   * not carry.
   *
   * @return false when {@code in} holds a name that needs Netty's conversion ({@link #SPECIAL});
   *     {@code out} is then incomplete
   */
  private static boolean append(HttpHeaders in, Http2Headers out) {
    if (in instanceof CompactHeaders compact) { // the codecs' headers: no entry per field
      for (int i = 0, n = compact.size(); i < n; i++) {
        if (!append(compact.nameAt(i), compact.valueAt(i), out)) {
          return false;
        }
      }
      return true;
    }
    Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      if (!append(e.getKey(), e.getValue(), out)) {
        return false;
      }
    }
    return true;
  }

  private static boolean append(CharSequence field, CharSequence value, Http2Headers out) {
    AsciiString name = lowerCase(field);
    if (oneOf(name, SPECIAL)) {
      return false;
    }
    if (!oneOf(name, NOT_IN_HTTP2)) {
      out.add(name, value);
    }
    return true;
  }

  private static boolean oneOf(AsciiString name, AsciiString[] names) {
    for (AsciiString n : names) {
      if (n.length() == name.length() && n.contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  /** {@code name} in lower case: itself when it is, a shared name when a common one is not. */
  static AsciiString lowerCase(CharSequence name) {
    AsciiString a = AsciiString.of(name);
    if (!hasUpperCase(a)) {
      return a;
    }
    AsciiString known = KnownHeaderNames.RESPONSES.lowerCase(a);
    return known != null ? known : a.toLowerCase();
  }

  private static boolean hasUpperCase(AsciiString a) {
    byte[] bytes = a.array();
    for (int i = a.arrayOffset(), end = i + a.length(); i < end; i++) {
      if (bytes[i] >= 'A' && bytes[i] <= 'Z') {
        return true;
      }
    }
    return false;
  }

  private static AsciiString[] extensionNames() {
    HttpConversionUtil.ExtensionHeaderNames[] all =
        HttpConversionUtil.ExtensionHeaderNames.values();
    AsciiString[] names = new AsciiString[all.length];
    for (int i = 0; i < all.length; i++) {
      names[i] = all[i].text();
    }
    return names;
  }
}
