package io.outrigger.proxy.http;

import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * Netty's server frame-codec builder, with a connection whose outbound flow control shares the
 * connection window among the streams that have data in equal turns ({@link
 * UniformStreamByteDistributor}) instead of walking the RFC 7540 priority tree for every write
 * ({@code WeightedFairQueueByteDistributor}, Netty's default). RFC 9113 deprecated that priority
 * scheme and Envoy does not implement it either; PRIORITY frames are still read and accepted, and
 * every other setting and limit of the builder (the HPACK and header-list limits, the rapid-reset
 * and control-frame defences) is Netty's own. Its decoder answers frames on closed streams as RFC
 * 9113 does where Netty cannot tell ({@link ClosedStreamRules}), and its connection counts refused
 * streams as used ({@link Http2ServerConnection}).
 */
final class Http2ServerCodecBuilder extends Http2FrameCodecBuilder {
  private final Http2ServerConnection connection = new Http2ServerConnection();

  Http2ServerCodecBuilder() {
    // Unset, the builder's server() is true; setting it would forbid connection() below.
    connection
        .remote()
        .flowController(
            new DefaultHttp2RemoteFlowController(
                connection, new UniformStreamByteDistributor(connection)));
    connection(connection);
  }

  /** Netty's codec, with a decoder that knows more of the streams that closed than Netty's. */
  @Override
  protected Http2FrameCodec build(
      Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
    return super.build(new ClosedStreamRules(decoder, connection), encoder, settings);
  }
}
