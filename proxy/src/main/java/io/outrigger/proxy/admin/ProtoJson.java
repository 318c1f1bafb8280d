package io.outrigger.proxy.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ClustersProto;
import io.envoyproxy.envoy.admin.v3.ConfigDumpProto;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SecretProto;
import io.outrigger.api.validation.ProtoTypes;
import io.outrigger.config.EnvoyTypeRegistry;

/** Prints Envoy's admin protos as JSON the way Envoy's admin does (proto field names). */
final class ProtoJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(ProtoTypes.message(ConfigDumpProto.getDescriptor(), "ConfigDump"))
                  .add(ProtoTypes.message(ConfigDumpProto.getDescriptor(), "SecretsConfigDump"))
                  .add(ProtoTypes.message(SecretProto.getDescriptor(), "Secret"))
                  .add(ProtoTypes.message(ClustersProto.getDescriptor(), "Clusters"))
                  .add(EnvoyTypeRegistry.TYPES)
                  .build())
          .preservingProtoFieldNames();

  private ProtoJson() {}

  static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message) + "\n";
    } catch (InvalidProtocolBufferException e) {
      // Only an Any whose type is missing from the registry gets here: a programming error.
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
