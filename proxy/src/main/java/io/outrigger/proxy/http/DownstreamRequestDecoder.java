package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.AsciiString;
import io.outrigger.proxy.codec.KnownHeaderNames;

/**
 * Netty's request decoder, with the header names clients commonly send shared ({@link
 * KnownHeaderNames#REQUESTS}) instead of made anew for each header of each request.
 */
final class DownstreamRequestDecoder extends HttpRequestDecoder {
  DownstreamRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  @Override
  protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
    AsciiString known = KnownHeaderNames.REQUESTS.lookup(sb, start, length);
    return known != null ? known : super.splitHeaderName(sb, start, length);
  }
}
