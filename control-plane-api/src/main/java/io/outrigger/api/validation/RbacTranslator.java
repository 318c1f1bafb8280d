package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.rbac.RbacPermission;
import io.outrigger.api.model.rbac.RbacPolicy;
import io.outrigger.api.model.rbac.RbacPrincipal;
import io.outrigger.api.model.rbac.RbacRules;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Translates {@code config.rbac.v3.RBAC} (the rules of both RBAC filters) into {@link RbacRules}.
 * Unsupported fields ({@code metadata}, {@code condition}, {@code matcher}...) are refused by
 * {@link SupportedFieldsCheck} with their path; a policy is named in the path as {@code
 * policies["name"]}.
 */
final class RbacTranslator {
  /** What the network filter's refusal of request matchers says. */
  static final String NEEDS_REQUEST =
      "not supported by envoy.filters.network.rbac: a connection has no HTTP request"
          + " (use envoy.filters.http.rbac)";

  private RbacTranslator() {}

  /**
   * @param network whether the rules belong to the network filter, which refuses header and
   *     url_path matchers, since they would never match
   */
  static RbacRules rules(RBAC proto, String path, boolean network) throws ConfigException {
    // The policies map is checked entry by entry below, so that paths name the policy.
    SupportedFieldsCheck.check(proto.toBuilder().clearPolicies(), path);
    RbacRules.Action action =
        switch (proto.getAction()) {
          case ALLOW -> RbacRules.Action.ALLOW;
          case DENY -> RbacRules.Action.DENY;
          default ->
              throw ConfigException.at(
                  Paths.field(path, "action"),
                  proto.getAction() + " not supported (expected: ALLOW or DENY)");
        };
    Map<String, RbacPolicy> policies = new LinkedHashMap<>();
    for (Map.Entry<String, Policy> e : new TreeMap<>(proto.getPoliciesMap()).entrySet()) {
      String at = Paths.field(path, "policies[\"" + e.getKey() + "\"]");
      policies.put(e.getKey(), policy(e.getValue(), at, network));
    }
    return new RbacRules(action, policies);
  }

  private static RbacPolicy policy(Policy proto, String path, boolean network)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    List<RbacPermission> permissions = new ArrayList<>();
    for (int i = 0; i < proto.getPermissionsCount(); i++) {
      permissions.add(
          permission(proto.getPermissions(i), Paths.item(path, "permissions", i), network));
    }
    List<RbacPrincipal> principals = new ArrayList<>();
    for (int i = 0; i < proto.getPrincipalsCount(); i++) {
      principals.add(principal(proto.getPrincipals(i), Paths.item(path, "principals", i), network));
    }
    try {
      return new RbacPolicy(permissions, principals);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  static RbacPrincipal principal(Principal p, String path, boolean network) throws ConfigException {
    return switch (p.getIdentifierCase()) {
      case ANY -> new RbacPrincipal.Any();
      case AUTHENTICATED ->
          new RbacPrincipal.Authenticated(
              p.getAuthenticated().hasPrincipalName()
                  ? Optional.of(
                      StringMatcherTranslator.translate(
                          p.getAuthenticated().getPrincipalName(),
                          Paths.field(path, "authenticated.principal_name")))
                  : Optional.empty());
      case DIRECT_REMOTE_IP ->
          new RbacPrincipal.DirectRemoteIp(
              cidr(p.getDirectRemoteIp(), Paths.field(path, "direct_remote_ip")));
      case REMOTE_IP ->
          new RbacPrincipal.RemoteIp(cidr(p.getRemoteIp(), Paths.field(path, "remote_ip")));
      case SOURCE_IP ->
          new RbacPrincipal.SourceIp(cidr(p.getSourceIp(), Paths.field(path, "source_ip")));
      case HEADER ->
          new RbacPrincipal.Header(
              RouteMatchTranslator.header(
                  p.getHeader(), requestOnly(Paths.field(path, "header"), network)));
      case URL_PATH ->
          new RbacPrincipal.UrlPath(
              urlPath(p.getUrlPath(), requestOnly(Paths.field(path, "url_path"), network)));
      case AND_IDS ->
          new RbacPrincipal.And(principals(p.getAndIds().getIdsList(), path, "and_ids", network));
      case OR_IDS ->
          new RbacPrincipal.Or(principals(p.getOrIds().getIdsList(), path, "or_ids", network));
      case NOT_ID ->
          new RbacPrincipal.Not(principal(p.getNotId(), Paths.field(path, "not_id"), network));
      default -> throw ConfigException.at(path, "one of " + PRINCIPAL_KINDS + " required");
    };
  }

  private static final String PRINCIPAL_KINDS =
      "any, authenticated, direct_remote_ip, remote_ip, source_ip, header, url_path, and_ids,"
          + " or_ids or not_id";

  private static List<RbacPrincipal> principals(
      List<Principal> ids, String path, String field, boolean network) throws ConfigException {
    String setPath = Paths.field(path, field);
    if (ids.isEmpty()) {
      throw ConfigException.at(Paths.field(setPath, "ids"), "empty (expected: at least one)");
    }
    List<RbacPrincipal> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      out.add(principal(ids.get(i), Paths.item(setPath, "ids", i), network));
    }
    return out;
  }

  static RbacPermission permission(Permission p, String path, boolean network)
      throws ConfigException {
    return switch (p.getRuleCase()) {
      case ANY -> new RbacPermission.Any();
      case HEADER ->
          new RbacPermission.Header(
              RouteMatchTranslator.header(
                  p.getHeader(), requestOnly(Paths.field(path, "header"), network)));
      case URL_PATH ->
          new RbacPermission.UrlPath(
              urlPath(p.getUrlPath(), requestOnly(Paths.field(path, "url_path"), network)));
      case DESTINATION_IP ->
          new RbacPermission.DestinationIp(
              cidr(p.getDestinationIp(), Paths.field(path, "destination_ip")));
      case DESTINATION_PORT -> destinationPort(p.getDestinationPort(), path);
      case DESTINATION_PORT_RANGE -> portRange(p, path);
      case REQUESTED_SERVER_NAME ->
          new RbacPermission.RequestedServerName(
              StringMatcherTranslator.translate(
                  p.getRequestedServerName(), Paths.field(path, "requested_server_name")));
      case AND_RULES ->
          new RbacPermission.And(
              permissions(p.getAndRules().getRulesList(), path, "and_rules", network));
      case OR_RULES ->
          new RbacPermission.Or(
              permissions(p.getOrRules().getRulesList(), path, "or_rules", network));
      case NOT_RULE ->
          new RbacPermission.Not(
              permission(p.getNotRule(), Paths.field(path, "not_rule"), network));
      default -> throw ConfigException.at(path, "one of " + PERMISSION_KINDS + " required");
    };
  }

  private static final String PERMISSION_KINDS =
      "any, header, url_path, destination_ip, destination_port, destination_port_range,"
          + " requested_server_name, and_rules, or_rules or not_rule";

  private static List<RbacPermission> permissions(
      List<Permission> rules, String path, String field, boolean network) throws ConfigException {
    String setPath = Paths.field(path, field);
    if (rules.isEmpty()) {
      throw ConfigException.at(Paths.field(setPath, "rules"), "empty (expected: at least one)");
    }
    List<RbacPermission> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      out.add(permission(rules.get(i), Paths.item(setPath, "rules", i), network));
    }
    return out;
  }

  private static RbacPermission destinationPort(int port, String path) throws ConfigException {
    try {
      return new RbacPermission.DestinationPort(port);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static RbacPermission portRange(Permission p, String path) throws ConfigException {
    try {
      return new RbacPermission.DestinationPortRange(
          p.getDestinationPortRange().getStart(), p.getDestinationPortRange().getEnd());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static String requestOnly(String path, boolean network) throws ConfigException {
    if (network) {
      throw ConfigException.at(path, NEEDS_REQUEST);
    }
    return path;
  }

  private static StringMatcher urlPath(PathMatcher proto, String path) throws ConfigException {
    if (!proto.hasPath()) {
      throw ConfigException.at(Paths.field(path, "path"), "required");
    }
    return StringMatcherTranslator.translate(proto.getPath(), Paths.field(path, "path"));
  }

  static io.outrigger.api.model.rbac.CidrRange cidr(CidrRange proto, String path)
      throws ConfigException {
    String address = proto.getAddressPrefix();
    if (!AddressTranslator.isIpLiteral(address)) {
      throw ConfigException.at(
          Paths.field(path, "address_prefix"),
          "\"" + address + "\" (expected: an IPv4 or IPv6 address)");
    }
    int prefixLen = proto.hasPrefixLen() ? proto.getPrefixLen().getValue() : 0;
    try {
      // An IP literal: the JDK parses it without asking DNS.
      return new io.outrigger.api.model.rbac.CidrRange(InetAddress.getByName(address), prefixLen);
    } catch (UnknownHostException e) {
      throw ConfigException.at(Paths.field(path, "address_prefix"), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
