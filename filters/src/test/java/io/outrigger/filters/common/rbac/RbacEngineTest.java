package io.outrigger.filters.common.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.rbac.CidrRange;
import io.outrigger.api.model.rbac.RbacPermission;
import io.outrigger.api.model.rbac.RbacPolicy;
import io.outrigger.api.model.rbac.RbacPrincipal;
import io.outrigger.api.model.rbac.RbacRules;
import io.outrigger.filters.tls.PeerCertificate;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine and every matcher kind, with Envoy's semantics. */
class RbacEngineTest {
  private static final RbacPermission ANY_PERMISSION = new RbacPermission.Any();
  private static final RbacPrincipal ANY_PRINCIPAL = new RbacPrincipal.Any();

  private static boolean principal(RbacPrincipal p, RbacRequest r) {
    return RbacMatchers.principal(p).matches(r);
  }

  private static boolean permission(RbacPermission p, RbacRequest r) {
    return RbacMatchers.permission(p).matches(r);
  }

  private static CidrRange cidr(String address, int len) throws Exception {
    return new CidrRange(InetAddress.getByName(address), len);
  }

  private static RbacPrincipal authenticated(StringMatcher m) {
    return new RbacPrincipal.Authenticated(Optional.ofNullable(m));
  }

  @Test
  void allowMatchesOnlyWhatAPolicyMatchesAndNamesTheFirstPolicyInNameOrder() {
    Map<String, RbacPolicy> policies = new LinkedHashMap<>();
    policies.put(
        "z-frontend",
        new RbacPolicy(
            List.of(ANY_PERMISSION),
            List.of(authenticated(StringMatcher.prefix("spiffe://outrigger.local/")))));
    policies.put("a-gets", new RbacPolicy(List.of(method("GET")), List.of(ANY_PRINCIPAL)));
    RbacEngine engine = new RbacEngine(new RbacRules(RbacRules.Action.ALLOW, policies));

    assertThat(engine.evaluate(TestRequest.get())).isEqualTo(new RbacDecision(true, "a-gets"));
    assertThat(
            engine.evaluate(
                TestRequest.get().withRequest(TestRequest.http(HttpMethod.PUT, "/kv/a"))))
        .isEqualTo(new RbacDecision(true, "z-frontend"));
    assertThat(
            engine.evaluate(
                TestRequest.get()
                    .withPeer(null)
                    .withRequest(TestRequest.http(HttpMethod.PUT, "/kv/a"))))
        .isEqualTo(new RbacDecision(false, null));
    assertThat(new RbacDecision(false, null).policyOrNone()).isEqualTo("none");
  }

  @Test
  void denyRefusesWhatAPolicyMatchesAndAllowsTheRest() {
    RbacEngine engine =
        new RbacEngine(
            new RbacRules(
                RbacRules.Action.DENY,
                Map.of(
                    "no-deletes",
                    new RbacPolicy(List.of(method("DELETE")), List.of(ANY_PRINCIPAL)))));

    assertThat(
            engine.evaluate(
                TestRequest.get().withRequest(TestRequest.http(HttpMethod.DELETE, "/kv/a"))))
        .isEqualTo(new RbacDecision(false, "no-deletes"));
    assertThat(engine.evaluate(TestRequest.get())).isEqualTo(new RbacDecision(true, null));
  }

  @Test
  void emptyPoliciesAllowNothingUnderAllowAndEverythingUnderDeny() {
    assertThat(
            new RbacEngine(new RbacRules(RbacRules.Action.ALLOW, Map.of()))
                .evaluate(TestRequest.get())
                .allowed())
        .isFalse();
    assertThat(
            new RbacEngine(new RbacRules(RbacRules.Action.DENY, Map.of()))
                .evaluate(TestRequest.get())
                .allowed())
        .isTrue();
  }

  @Test
  void aPolicyNeedsAPermissionAndAPrincipal() {
    RbacEngine engine =
        new RbacEngine(
            new RbacRules(
                RbacRules.Action.ALLOW,
                Map.of(
                    "p",
                    new RbacPolicy(
                        List.of(method("PUT"), method("GET")),
                        List.of(new RbacPrincipal.Not(ANY_PRINCIPAL), ANY_PRINCIPAL)))));
    RbacEngine noPrincipal =
        new RbacEngine(
            new RbacRules(
                RbacRules.Action.ALLOW,
                Map.of(
                    "p",
                    new RbacPolicy(
                        List.of(ANY_PERMISSION), List.of(new RbacPrincipal.Not(ANY_PRINCIPAL))))));

    assertThat(engine.evaluate(TestRequest.get()).allowed()).isTrue();
    assertThat(noPrincipal.evaluate(TestRequest.get()).allowed()).isFalse();
  }

  @Test
  void authenticatedMatchesUriSansThenDnsSansThenSubject() {
    TestRequest r = TestRequest.get();
    assertThat(principal(authenticated(null), r)).isTrue();
    assertThat(
            principal(
                authenticated(
                    StringMatcher.exact("spiffe://outrigger.local/ns/default/sa/frontend")),
                r))
        .isTrue();
    assertThat(principal(authenticated(StringMatcher.exact("frontend.default.svc")), r)).isTrue();
    assertThat(principal(authenticated(StringMatcher.exact("CN=frontend,O=outrigger.local")), r))
        .isTrue();
    assertThat(
            principal(
                authenticated(StringMatcher.exact("spiffe://outrigger.local/ns/default/sa/admin")),
                r))
        .isFalse();
    PeerCertificate subjectOnly = new PeerCertificate(List.of(), List.of(), "CN=legacy");
    assertThat(principal(authenticated(StringMatcher.regex("CN=leg.*")), r.withPeer(subjectOnly)))
        .isTrue();
  }

  @Test
  void withoutCertificateAuthenticatedNeverMatches() {
    TestRequest anonymous = TestRequest.get().withPeer(null);
    assertThat(principal(authenticated(null), anonymous)).isFalse();
    assertThat(principal(authenticated(StringMatcher.exact("")), anonymous)).isFalse();
    assertThat(principal(new RbacPrincipal.Not(authenticated(null)), anonymous)).isTrue();
  }

  @Test
  void ipPrincipalsMatchIpv4AndIpv6Ranges() throws Exception {
    TestRequest v4 = TestRequest.get();
    TestRequest v6 = TestRequest.get().from("2001:db8:0:1::7");
    for (java.util.function.Function<CidrRange, RbacPrincipal> kind :
        List.<java.util.function.Function<CidrRange, RbacPrincipal>>of(
            RbacPrincipal.DirectRemoteIp::new,
            RbacPrincipal.RemoteIp::new,
            RbacPrincipal.SourceIp::new)) {
      assertThat(principal(kind.apply(cidr("10.0.0.0", 8)), v4)).isTrue();
      assertThat(principal(kind.apply(cidr("10.1.2.3", 32)), v4)).isTrue();
      assertThat(principal(kind.apply(cidr("10.1.2.0", 30)), v4)).isTrue();
      assertThat(principal(kind.apply(cidr("10.1.2.4", 30)), v4)).isFalse();
      assertThat(principal(kind.apply(cidr("11.0.0.0", 8)), v4)).isFalse();
      assertThat(principal(kind.apply(cidr("0.0.0.0", 0)), v4)).isTrue();
      assertThat(principal(kind.apply(cidr("2001:db8::", 32)), v6)).isTrue();
      assertThat(principal(kind.apply(cidr("2001:db8:0:2::", 64)), v6)).isFalse();
      assertThat(principal(kind.apply(cidr("::", 0)), v4)).as("other family").isFalse();
      assertThat(principal(kind.apply(cidr("0.0.0.0", 0)), v6)).as("other family").isFalse();
      assertThat(principal(kind.apply(cidr("10.0.0.0", 8)), v4.from("::ffff:10.9.9.9")))
          .as("IPv4-mapped")
          .isTrue();
    }
  }

  @Test
  void headerAndPathMatchTheRequestAndNeverAConnection() {
    TestRequest r = TestRequest.get();
    TestRequest connection = r.withRequest(null);
    RbacPrincipal team =
        new RbacPrincipal.Header(HeaderMatcher.of("x-team", StringMatcher.exact("a,b")));
    RbacPrincipal path = new RbacPrincipal.UrlPath(StringMatcher.exact("/kv/a"));
    RbacPermission kv = new RbacPermission.UrlPath(StringMatcher.prefix("/kv/"));
    RbacPermission host =
        new RbacPermission.Header(HeaderMatcher.of(":authority", StringMatcher.prefix("kv")));
    RbacPermission absent =
        new RbacPermission.Header(new HeaderMatcher("x-admin", Optional.empty(), false, false));

    assertThat(principal(team, r)).as("values joined with ,").isTrue();
    assertThat(principal(path, r)).as("query left out").isTrue();
    assertThat(permission(kv, r)).isTrue();
    assertThat(permission(host, r)).isTrue();
    assertThat(permission(method("GET"), r)).isTrue();
    assertThat(permission(method("POST"), r)).isFalse();
    assertThat(permission(absent, r)).as("present_match false on an absent header").isTrue();
    assertThat(principal(team, connection)).isFalse();
    assertThat(principal(path, connection)).isFalse();
    assertThat(permission(kv, connection)).isFalse();
    assertThat(permission(absent, connection)).isFalse();
  }

  @Test
  void destinationPermissionsMatchTheLocalAddressAndSni() throws Exception {
    TestRequest r = TestRequest.get();
    assertThat(permission(new RbacPermission.DestinationIp(cidr("127.0.0.0", 8)), r)).isTrue();
    assertThat(permission(new RbacPermission.DestinationIp(cidr("::1", 128)), r)).isFalse();
    assertThat(permission(new RbacPermission.DestinationIp(cidr("::1", 128)), r.to("::1", 15006)))
        .isTrue();
    assertThat(permission(new RbacPermission.DestinationPort(15006), r)).isTrue();
    assertThat(permission(new RbacPermission.DestinationPort(15007), r)).isFalse();
    assertThat(permission(new RbacPermission.DestinationPortRange(15000, 15007), r)).isTrue();
    assertThat(permission(new RbacPermission.DestinationPortRange(15000, 15006), r))
        .as("end exclusive")
        .isFalse();
    assertThat(permission(new RbacPermission.DestinationPortRange(15006, 15007), r))
        .as("start inclusive")
        .isTrue();
    RbacPermission sni = new RbacPermission.RequestedServerName(StringMatcher.exact("kv.local"));
    assertThat(permission(sni, r)).isTrue();
    assertThat(permission(sni, r.withSni(""))).isFalse();
    assertThat(
            permission(
                new RbacPermission.RequestedServerName(StringMatcher.exact("")), r.withSni("")))
        .as("no SNI is the empty name")
        .isTrue();
    assertThat(
            permission(
                new RbacPermission.DestinationPort(15006), r.to("127.0.0.1", 1).withRequest(null)))
        .isFalse();
  }

  @Test
  void andOrNotCombine() {
    TestRequest r = TestRequest.get();
    RbacPermission yes = ANY_PERMISSION;
    RbacPermission no = new RbacPermission.Not(ANY_PERMISSION);
    assertThat(permission(new RbacPermission.And(List.of(yes, yes)), r)).isTrue();
    assertThat(permission(new RbacPermission.And(List.of(yes, no)), r)).isFalse();
    assertThat(permission(new RbacPermission.Or(List.of(no, yes)), r)).isTrue();
    assertThat(permission(new RbacPermission.Or(List.of(no, no)), r)).isFalse();
    assertThat(permission(new RbacPermission.Not(no), r)).isTrue();
    RbacPrincipal p = ANY_PRINCIPAL;
    RbacPrincipal q = new RbacPrincipal.Not(ANY_PRINCIPAL);
    assertThat(principal(new RbacPrincipal.And(List.of(p, q)), r)).isFalse();
    assertThat(principal(new RbacPrincipal.And(List.of(p, p)), r)).isTrue();
    assertThat(principal(new RbacPrincipal.Or(List.of(q, p)), r)).isTrue();
    assertThat(principal(new RbacPrincipal.Or(List.of(q, q)), r)).isFalse();
  }

  private static RbacPermission method(String m) {
    return new RbacPermission.Header(HeaderMatcher.of(":method", StringMatcher.exact(m)));
  }
}
