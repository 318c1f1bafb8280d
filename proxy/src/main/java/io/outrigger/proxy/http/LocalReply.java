package io.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.proxy.codec.CompactHeaders;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** Builds the responses the proxy answers itself: short text bodies that say why. */
public final class LocalReply {
  private LocalReply() {}

  /**
   * @param body the text; a newline is appended when missing
   * @param head whether the request was HEAD (no body is sent, the length still is)
   */
  public static FullHttpResponse create(
      ByteBufAllocator alloc, int status, String body, boolean head) {
    // Encoded straight into the buffer, the newline written after it: no concatenated copy and
    // no byte array per reply.
    boolean newline = !body.isEmpty() && !body.endsWith("\n");
    int length = ByteBufUtil.utf8Bytes(body) + (newline ? 1 : 0);
    ByteBuf content = alloc.buffer(head ? 0 : length);
    if (!head) {
      ByteBufUtil.writeUtf8(content, body);
      if (newline) {
        content.writeByte('\n');
      }
    }
    return response(status, content, length);
  }

  /**
   * A route's {@code direct_response}: {@code body} exactly as configured, as Envoy sends it (no
   * newline added, bytes of {@code inline_bytes} untouched).
   *
   * @param head whether the request was HEAD (no body is sent, the length still is)
   */
  public static FullHttpResponse exact(
      ByteBufAllocator alloc, int status, byte[] body, boolean head) {
    ByteBuf content = alloc.buffer(head ? 0 : body.length);
    if (!head) {
      content.writeBytes(body);
    }
    return response(status, content, body.length);
  }

  private static FullHttpResponse response(int status, ByteBuf content, int length) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            content,
            CompactHeaders.HEADERS,
            CompactHeaders.TRAILERS);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    if (length > 0) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
    }
    return r;
  }

  /** Whether Envoy would answer the request in gRPC form: its content type is gRPC's. */
  public static boolean isGrpc(HttpRequest request) {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return type != null && type.regionMatches(true, 0, "application/grpc", 0, 16);
  }

  /**
   * Envoy's local reply to a gRPC request: HTTP 200, trailers only, {@code grpc-status} and {@code
   * grpc-message} (percent-encoded as gRPC requires) in the headers, no body.
   *
   * @param httpStatus mapped to a gRPC status when {@code grpcStatus} is empty
   * @param http2 whether the downstream speaks HTTP/2 (HTTP/1.1 gets {@code content-length: 0})
   */
  public static FullHttpResponse grpc(
      ByteBufAllocator alloc,
      int httpStatus,
      OptionalInt grpcStatus,
      String message,
      boolean http2) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            alloc.buffer(0),
            CompactHeaders.HEADERS,
            CompactHeaders.TRAILERS);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
    r.headers().set("grpc-status", grpcStatus.orElse(grpcStatusOf(httpStatus)));
    if (!message.isEmpty()) {
      r.headers().set("grpc-message", percentEncode(message));
    }
    if (!http2) {
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    }
    return r;
  }

  /** Envoy's {@code Grpc::Utility::httpToGrpcStatus}. */
  static int grpcStatusOf(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> 13; // INTERNAL
      case 401 -> 16; // UNAUTHENTICATED
      case 403 -> 7; // PERMISSION_DENIED
      case 404 -> 12; // UNIMPLEMENTED
      case 429, 502, 503, 504 -> 14; // UNAVAILABLE
      default -> 2; // UNKNOWN
    };
  }

  private static String percentEncode(String message) {
    StringBuilder sb = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c < 0x20 || c > 0x7E || c == '%') {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
