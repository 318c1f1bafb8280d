package io.outrigger.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes xDS resources as a resource file that {@link ResourceFileLoader} reads back to the same
 * protos: a YAML list, each item with its {@code "@type"}, proto field names, and every {@code $}
 * written {@code $$} so that no value is taken for a {@code ${VAR}} when read again.
 */
public final class ResourceYaml {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(EnvoyTypeRegistry.get()).preservingProtoFieldNames();

  private ResourceYaml() {}

  /** The YAML text of a resource file holding {@code resources} in this order. */
  public static String write(List<? extends Message> resources) {
    List<Object> items = new ArrayList<>();
    for (Message resource : resources) {
      items.add(plain(JsonParser.parseString(json(resource))));
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(0);
    options.setWidth(100);
    return new Yaml(options).dump(items);
  }

  /**
   * One resource as proto3 JSON with its {@code "@type"} (what {@code GET /v1/resources} shows).
   */
  public static String json(Message resource) {
    try {
      return PRINTER.print(Any.pack(resource));
    } catch (InvalidProtocolBufferException e) {
      // Every resource type a file may hold is in the registry.
      throw new IllegalStateException("cannot print " + resource.getDescriptorForType(), e);
    }
  }

  private static Object plain(JsonElement element) {
    if (element instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : object.entrySet()) {
        map.put(e.getKey(), plain(e.getValue()));
      }
      return map;
    }
    if (element instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    if (element instanceof JsonPrimitive primitive) {
      if (primitive.isBoolean()) {
        return primitive.getAsBoolean();
      }
      if (primitive.isNumber()) {
        BigDecimal number = primitive.getAsBigDecimal();
        return number.stripTrailingZeros().scale() <= 0
            ? number.toBigIntegerExact()
            : number.doubleValue();
      }
      return primitive.getAsString().replace("$", "$$");
    }
    return null;
  }
}
