package io.outrigger.proxy.codec;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Netty's trailers factory with a two-slot hash table instead of sixteen.
 *
 * <p>Why: Netty's HTTP/1.1 decoders make a trailers object for every message that ends with a body
 * (the {@code LastHttpContent} of each upstream response with {@code content-length}), and every
 * {@code DefaultFullHttpResponse} has one; almost all stay empty. The default table is 80 bytes, a
 * two-slot one 24. Trailers that do come (gRPC's two or three) still fit, chained; a larger set
 * only costs a longer chain. Validation is Netty's trailers validation unchanged: the names a
 * trailer must not carry ({@code content-length}, {@code transfer-encoding}, {@code trailer}) are
 * refused as before.
 */
public final class SmallTrailers implements HttpHeadersFactory {
  /** The shared instance; stateless. */
  public static final SmallTrailers FACTORY = new SmallTrailers();

  private static final int SLOTS = 2;
  private static final DefaultHttpHeadersFactory NETTY =
      DefaultHttpHeadersFactory.trailersFactory();

  private SmallTrailers() {}

  @Override
  public HttpHeaders newHeaders() {
    return new Headers();
  }

  @Override
  public HttpHeaders newEmptyHeaders() {
    return new Headers();
  }

  /**
   * {@link DefaultHttpHeaders} with the small table; its constructor that takes one is protected.
   */
  private static final class Headers extends DefaultHttpHeaders {
    Headers() {
      super(NETTY.getNameValidator(), NETTY.getValueValidator(), SLOTS);
    }
  }
}
