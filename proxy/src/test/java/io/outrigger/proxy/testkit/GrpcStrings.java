package io.outrigger.proxy.testkit;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** gRPC methods that carry strings on the wire, so that tests need no generated code. */
public final class GrpcStrings {
  private GrpcStrings() {}

  /** UTF-8 strings as gRPC messages. */
  public static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** A method {@code fullName} (e.g. {@code test.Echo/Say}) of {@code type}, strings both ways. */
  public static MethodDescriptor<String, String> method(
      MethodDescriptor.MethodType type, String fullName) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName(fullName)
        .setRequestMarshaller(UTF8)
        .setResponseMarshaller(UTF8)
        .build();
  }

  /** A unary method {@code fullName}. */
  public static MethodDescriptor<String, String> unary(String fullName) {
    return method(MethodDescriptor.MethodType.UNARY, fullName);
  }
}
