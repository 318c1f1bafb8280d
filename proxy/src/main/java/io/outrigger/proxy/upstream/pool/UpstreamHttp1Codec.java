package io.outrigger.proxy.upstream.pool;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;
import io.outrigger.proxy.codec.CompactHeaders;
import io.outrigger.proxy.codec.Http1HeaderWriter;
import io.outrigger.proxy.codec.KnownHeaderNames;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec of an upstream connection: Netty's request encoder and response decoder, with
 * what a pooled proxy connection needs beyond Netty's {@code HttpClientCodec}: it can tell whether
 * the decoder still holds bytes that belong to no response ({@link #buffered()}), so that a
 * connection goes back to the pool only when the last response ended exactly at its framing.
 *
 * <p>As in {@code HttpClientCodec}, the decoder pairs each response with its request's method: a
 * response to {@code HEAD} and a 2xx to {@code CONNECT} have no body whatever their headers say.
 * Unlike it, the decoder and the encoder sit in the pipeline as two plain handlers ({@link
 * #install}), not one combined handler that every read and write passes through twice.
 */
final class UpstreamHttp1Codec {
  static final String DECODER = "http1-decoder";
  static final String ENCODER = "http1-encoder";

  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
  private final Decoder decoder;
  private final Encoder encoder;

  UpstreamHttp1Codec(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(maxInitialLineLength)
            .setMaxHeaderSize(maxHeaderSize)
            .setMaxChunkSize(maxChunkSize)
            .setAllowDuplicateContentLengths(false)
            .setHeadersFactory(CompactHeaders.HEADERS)
            .setTrailersFactory(CompactHeaders.TRAILERS)
            .setStrictLineParsing(true);
    decoder = new Decoder(config);
    encoder = new Encoder();
  }

  /** Adds the decoder and the encoder at the end of an upstream connection's pipeline. */
  void install(ChannelPipeline p) {
    p.addLast(DECODER, decoder).addLast(ENCODER, encoder);
  }

  /** Takes the codec out of a pipeline (after a 101, the connection carries raw bytes). */
  static void uninstall(ChannelPipeline p) {
    if (p.get(ENCODER) != null) {
      p.remove(ENCODER);
    }
    if (p.get(DECODER) != null) {
      p.remove(DECODER);
    }
  }

  Decoder decoder() {
    return decoder;
  }

  Encoder encoder() {
    return encoder;
  }

  /** Records each request's method for the response decoder. */
  final class Encoder extends HttpRequestEncoder {
    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out)
        throws Exception {
      if (msg instanceof HttpRequest request) {
        methods.add(request.method());
      }
      super.encode(ctx, msg, out);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      Http1HeaderWriter.write(headers, buf);
    }
  }

  /** Decodes responses; knows which have no body by their request's method. */
  final class Decoder extends HttpResponseDecoder {
    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    int buffered() {
      return actualReadableBytes();
    }

    /** The status line's common words are shared strings, not new ones per response. */
    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
      String version = StatusLineWords.version(sb, start, length);
      return version != null ? version : super.splitFirstWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
      String code = StatusLineWords.code(sb, start, length);
      return code != null ? code : super.splitSecondWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
      String reason = StatusLineWords.reason(sb, start, length);
      return reason != null ? reason : super.splitThirdWordInitialLine(sb, start, length);
    }

    /** Common names are shared constants rather than a new name per header per response. */
    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
      AsciiString known = KnownHeaderNames.RESPONSES.lookup(sb, start, length);
      return known != null ? known : super.splitHeaderName(sb, start, length);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      int code = ((HttpResponse) msg).status().code();
      if (code >= 100 && code < 200 && code != 101) {
        return true; // an interim response: the final one still answers the same request
      }
      HttpMethod method = methods.poll();
      if (HttpMethod.HEAD.equals(method)) {
        return true;
      }
      if (HttpMethod.CONNECT.equals(method) && code >= 200 && code < 300) {
        return true;
      }
      return super.isContentAlwaysEmpty(msg);
    }
  }
}
