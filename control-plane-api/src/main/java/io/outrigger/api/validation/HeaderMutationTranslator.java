package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.HeaderValueOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Translates one level's {@code *_headers_to_add} and {@code *_headers_to_remove}.
 *
 * <p>As in Envoy, pseudo-headers and {@code host} may not be added or removed; nor may the
 * hop-by-hop headers, which the proxy itself manages per connection. Values are literal: Envoy's
 * command operators ({@code %REQ(...)%}, {@code %DOWNSTREAM_REMOTE_ADDRESS%}, ...) are refused, and
 * {@code %%} stands for {@code %}.
 */
final class HeaderMutationTranslator {
  private static final Set<String> PROXY_OWNED =
      Set.of(
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "te");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  private HeaderMutationTranslator() {}

  /**
   * @param path the enclosing message's path
   * @param addField e.g. {@code request_headers_to_add}
   * @param removeField e.g. {@code request_headers_to_remove}
   */
  static HeaderMutation translate(
      List<io.envoyproxy.envoy.config.core.v3.HeaderValueOption> adds,
      List<String> removes,
      String path,
      String addField,
      String removeField)
      throws ConfigException {
    if (adds.isEmpty() && removes.isEmpty()) {
      return HeaderMutation.NONE;
    }
    List<HeaderValueOption> toAdd = new ArrayList<>();
    for (int i = 0; i < adds.size(); i++) {
      toAdd.add(option(adds.get(i), Paths.item(path, addField, i)));
    }
    for (int i = 0; i < removes.size(); i++) {
      checkName(removes.get(i), Paths.item(path, removeField, i));
    }
    return new HeaderMutation(toAdd, removes);
  }

  private static HeaderValueOption option(
      io.envoyproxy.envoy.config.core.v3.HeaderValueOption proto, String path)
      throws ConfigException {
    if (!proto.hasHeader()) {
      throw ConfigException.at(Paths.field(path, "header"), "required");
    }
    String key = proto.getHeader().getKey();
    checkName(key, Paths.field(path, "header.key"));
    String value = literal(proto.getHeader().getValue(), Paths.field(path, "header.value"));
    try {
      return new HeaderValueOption(key, value, appendAction(proto, path));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(Paths.field(path, "header"), e);
    }
  }

  private static io.outrigger.api.model.http.HeaderAppendAction appendAction(
      io.envoyproxy.envoy.config.core.v3.HeaderValueOption proto, String path)
      throws ConfigException {
    if (proto.hasAppend()) {
      if (proto.getAppendActionValue() != 0) {
        throw ConfigException.at(
            Paths.field(path, "append"),
            "cannot be set together with append_action (append is deprecated; use append_action)");
      }
      return proto.getAppend().getValue()
          ? io.outrigger.api.model.http.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
          : io.outrigger.api.model.http.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    }
    HeaderAppendAction action = proto.getAppendAction();
    if (action == HeaderAppendAction.UNRECOGNIZED) {
      throw ConfigException.at(
          Paths.field(path, "append_action"), "unknown value " + proto.getAppendActionValue());
    }
    return io.outrigger.api.model.http.HeaderAppendAction.valueOf(action.name());
  }

  static void checkName(String name, String path) throws ConfigException {
    if (name.isEmpty()) {
      throw ConfigException.at(path, "required");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith(":") || PROXY_OWNED.contains(lower)) {
      throw ConfigException.at(
          path,
          "\""
              + name
              + "\" may not be mutated (pseudo-headers, host and hop-by-hop headers belong to the"
              + " proxy)");
    }
    if (!TOKEN.matcher(name).matches()) {
      throw ConfigException.at(path, "\"" + name + "\" is not a valid header name");
    }
  }

  /** The value with {@code %%} unescaped; any other {@code %} is a command operator, refused. */
  private static String literal(String value, String path) throws ConfigException {
    if (value.indexOf('%') < 0) {
      return value;
    }
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '%') {
        sb.append(c);
      } else if (i + 1 < value.length() && value.charAt(i + 1) == '%') {
        sb.append('%');
        i++;
      } else {
        throw ConfigException.at(
            path,
            "\""
                + value
                + "\" uses an Envoy command operator (%...%), which Outrigger does not support;"
                + " write %% for a literal %");
      }
    }
    return sb.toString();
  }
}
