package io.outrigger.config;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.validation.BootstrapTranslator;
import io.outrigger.api.validation.ConfigException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads an Envoy v3 bootstrap YAML file into a {@link LoadedBootstrap}.
 *
 * <ol>
 *   <li>YAML is composed into nodes (which keep lines); one document, a mapping at the top.
 *   <li>{@code ${VAR}}, {@code ${VAR:-default}} and {@code $$} are substituted in scalar values.
 *   <li>The tree is walked alongside {@code Bootstrap}'s descriptor: unknown keys and values that
 *       do not fit their field are refused with path and line ({@link YamlProtoWalker}).
 *   <li>{@link JsonFormat} binds the result to the {@code Bootstrap} proto.
 *   <li>{@link BootstrapTranslator} refuses unsupported fields and builds the model.
 * </ol>
 *
 * <p>Every refusal is a {@link ConfigException} whose message reads {@code file: line N:
 * field.path: reason}. Runs on the caller's thread; blocking file I/O.
 */
public final class BootstrapLoader {
  private BootstrapLoader() {}

  /**
   * @param file the bootstrap file; its name as given is the source in messages
   * @param env the variables {@code ${VAR}} may name, usually {@link System#getenv()}
   */
  public static LoadedBootstrap load(Path file, Map<String, String> env) throws ConfigException {
    String source = file.toString();
    String text = SourceText.read(file, source);
    return load(text, source, env);
  }

  /**
   * @param yaml the bootstrap text
   * @param source what to call it in messages, e.g. the file name
   * @param env the variables {@code ${VAR}} may name
   */
  public static LoadedBootstrap load(String yaml, String source, Map<String, String> env)
      throws ConfigException {
    requireNonNull(yaml, "yaml");
    requireNonNull(source, "source");
    requireNonNull(env, "env");
    LineIndex lines = new LineIndex();
    try {
      JsonObject json =
          new YamlProtoWalker(env, EnvoyTypeRegistry.get(), lines)
              .message(YamlDocument.parse(yaml), Bootstrap.getDescriptor(), "");
      Bootstrap proto = bind(json);
      return new LoadedBootstrap(source, proto, translate(proto, lines));
    } catch (ConfigException e) {
      throw e.withSource(source);
    }
  }

  /**
   * JSON to a {@code Bootstrap}, through a {@link DynamicMessage}: JsonFormat sets fields by
   * reflection, and a generated builder's reflection table loads the classes of every message type
   * its fields could hold (see {@code SupportedFieldsCheck}). Parsing the dynamic message's bytes
   * loads only the types the bootstrap uses.
   */
  private static Bootstrap bind(JsonObject json) throws ConfigException {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(Bootstrap.getDescriptor());
    try {
      JsonFormat.parser()
          .usingTypeRegistry(EnvoyTypeRegistry.get())
          .merge(json.toString(), builder);
      return Bootstrap.parseFrom(builder.build().toByteString());
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The walker checks what JsonFormat checks; reaching here is a gap in the walker.
      throw new ConfigException("", "", "invalid bootstrap: " + e.getMessage());
    }
  }

  private static BootstrapConfig translate(Bootstrap proto, LineIndex lines)
      throws ConfigException {
    try {
      return BootstrapTranslator.translate(proto);
    } catch (ConfigException e) {
      throw e.withLine(lines.lineOf(e.fieldPath()));
    }
  }
}
