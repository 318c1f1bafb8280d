package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.outrigger.proxy.codec.Http1HeaderWriter;

/**
 * The response encoder of a downstream HTTP/1.1 connection: Netty's, told by the connection manager
 * which request's response it writes. A response to {@code HEAD} has no body whatever its headers
 * say, and a 2xx to {@code CONNECT} loses its {@code Transfer-Encoding} (RFC 9110 9.3.6, RFC 9112
 * 6.1).
 *
 * <p>Netty's {@code HttpServerCodec} knows this from a queue of the methods its decoder saw. The
 * connection manager answers a connection's requests one at a time and in order, so it can say
 * which request it answers; the decoder and this encoder then sit in the pipeline as two plain
 * handlers rather than one combined handler that every read and write passes through twice.
 *
 * <p>Runs on the connection's event loop only.
 */
final class Http1ResponseEncoder extends HttpResponseEncoder {
  private HttpMethod method = HttpMethod.GET;

  /** The responses written from now on answer a request with this method. */
  void respondingTo(HttpMethod method) {
    this.method = method;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpResponse msg) {
    return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
  }

  @Override
  protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
    Http1HeaderWriter.write(headers, buf);
  }

  @Override
  protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
    if (!isAlwaysEmpty
        && HttpMethod.CONNECT.equals(method)
        && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
      msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      return;
    }
    super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
  }
}
