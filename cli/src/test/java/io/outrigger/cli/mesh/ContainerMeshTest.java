package io.outrigger.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.outrigger.config.BootstrapLoader;
import io.outrigger.controlplane.auth.Grant;
import io.outrigger.controlplane.auth.Scope;
import io.outrigger.controlplane.auth.TokenFile;
import io.outrigger.controlplane.auth.WorkloadIdentity;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceFolder;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMeshTest {
  @TempDir Path tmp;

  @Test
  void everyNodeGroupIsAcceptedWholeByTheControlPlanesValidation() throws Exception {
    Path resources =
        ContainerMesh.write(ContainerMesh.plan(3, "cp", tmp), null, List.of("127.0.0.0/8"));

    Map<String, GroupSnapshot> groups =
        SnapshotBuilder.build(new ResourceFolder(resources, Map.of()).load(), List.of(), true);

    assertThat(groups).containsKeys("n1", "n2", "n3");
    assertThat(tmp.resolve("ca/ca.pem")).exists();
  }

  @Test
  void theTokenFileGrantsEachNodeItsOwnIdentityAndTheApiLabAndStatusTokensTheirScopes()
      throws Exception {
    MeshState mesh = ContainerMesh.plan(3, "cp", tmp.resolve("mesh"));
    ContainerMesh.write(mesh, tmp.resolve("credentials"), List.of());
    Path tokens = tmp.resolve("mesh/tokens");

    Map<String, Grant> grants =
        TokenFile.parse(Files.readString(tokens.resolve("control-plane.tokens")), "test");

    assertThat(grants).hasSize(6);
    for (String node : List.of("n1", "n2", "n3")) {
      String token = MeshTokens.read(tokens.resolve(node + ".token"));
      assertThat(grants.get(TokenFile.hash(token)))
          .isEqualTo(
              new Grant.NodeGrant(
                  TokenFile.hash(token), new WorkloadIdentity("default", node), node));
    }
    assertThat(scopes(grants, tokens.resolve("api.token"))).isEqualTo(Set.of(Scope.values()));
    assertThat(scopes(grants, tokens.resolve("lab.token")))
        .isEqualTo(Set.of(Scope.STATUS, Scope.FAULTS));
    assertThat(scopes(grants, tokens.resolve("status.token"))).isEqualTo(Set.of(Scope.STATUS));
    try (var files = Files.list(tokens)) {
      assertThat(files.map(ContainerMeshTest::mode)).containsOnly("rw-------");
    }
  }

  private static Set<Scope> scopes(Map<String, Grant> grants, Path tokenFile) throws Exception {
    return ((Grant.ApiGrant) grants.get(TokenFile.hash(MeshTokens.read(tokenFile)))).scopes();
  }

  private static String mode(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theCredentialsFolderHoldsTheCaCertificateTheNodeTokensAndTheStatusTokenOnly()
      throws Exception {
    MeshState mesh = ContainerMesh.plan(3, "cp", tmp.resolve("mesh"));
    Path credentials = tmp.resolve("credentials");
    ContainerMesh.write(mesh, credentials, List.of());

    try (var files = Files.list(credentials)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.pem", "n1.token", "n2.token", "n3.token", "status.token");
    }
    assertThat(credentials.resolve("ca.pem")).hasSameBinaryContentAs(tmp.resolve("mesh/ca/ca.pem"));
    assertThat(credentials.resolve("n2.token"))
        .hasSameBinaryContentAs(tmp.resolve("mesh/tokens/n2.token"));
    assertThat(credentials.resolve("status.token"))
        .hasSameBinaryContentAs(tmp.resolve("mesh/tokens/status.token"));
    assertThat(mode(credentials)).isEqualTo("rwxr-x---");
    assertThat(mode(credentials.resolve("ca.pem"))).isEqualTo("rw-r--r--");
    assertThat(mode(credentials.resolve("n1.token"))).isEqualTo("rw-------");
    assertThat(mode(credentials.resolve("status.token"))).isEqualTo("rw-r-----");
  }

  @Test
  void aControlPlaneStartedAgainKeepsTheCaAndTheTokensItsSidecarsHold() throws Exception {
    MeshState mesh = ContainerMesh.plan(3, "cp", tmp.resolve("mesh"));
    Path credentials = tmp.resolve("credentials");
    ContainerMesh.write(mesh, credentials, List.of());
    String n1 = Files.readString(credentials.resolve("n1.token"));
    String tokenFile = Files.readString(tmp.resolve("mesh/tokens/control-plane.tokens"));
    byte[] ca = Files.readAllBytes(credentials.resolve("ca.pem"));

    ContainerMesh.write(mesh, credentials, List.of());

    assertThat(credentials.resolve("n1.token")).hasContent(n1);
    assertThat(tmp.resolve("mesh/tokens/control-plane.tokens")).hasContent(tokenFile);
    assertThat(credentials.resolve("ca.pem")).hasBinaryContent(ca);
    // A token file missing makes them all new: no grant for a token nobody holds.
    Files.delete(tmp.resolve("mesh/tokens/lab.token"));
    ContainerMesh.write(mesh, credentials, List.of());
    assertThat(Files.readString(credentials.resolve("n1.token"))).isNotEqualTo(n1);
  }

  @Test
  void peersAreTheOtherSidecarContainersByNameOverMtlsAndTheInboundListensOnEveryInterface() {
    MeshState mesh = ContainerMesh.plan(3, "cp", tmp);
    String n1 = MeshFiles.nodeResources(mesh, mesh.nodes().get(0), MeshLayout.containers());

    assertThat(n1)
        .contains("address: outrigger-n2, port_value: 10000")
        .contains("address: outrigger-n3, port_value: 10000")
        .contains("type: STRICT_DNS", "UpstreamTlsContext")
        .contains("address: 0.0.0.0, port_value: 10000")
        .contains("name: local_store", "address: 127.0.0.1, port_value: 8080")
        .doesNotContain("outrigger-n1", "access_log");
    // Every connection manager (inbound mTLS, inbound plaintext, outbound) traces to Zipkin.
    assertThat(n1.split("envoy.tracers.zipkin", -1)).hasSize(4);
    assertThat(n1).contains("address: outrigger-zipkin, port_value: 9411");
  }

  @Test
  void thePlaintextInboundChainServesOnlyTheGivenClientsAndTheMtlsChainIsUntouched() {
    MeshState mesh = ContainerMesh.plan(3, "cp", tmp);
    String n1 =
        MeshFiles.nodeResources(
            mesh,
            mesh.nodes().get(0),
            MeshLayout.containers(List.of("127.0.0.0/8", "10.89.0.1/32")));

    String plaintext = n1.substring(n1.indexOf("- name: plaintext"), n1.indexOf("name: outbound"));
    assertThat(plaintext)
        .contains("envoy.filters.network.rbac", "stat_prefix: inbound_plaintext")
        .contains("- { direct_remote_ip: { address_prefix: 127.0.0.0, prefix_len: 8 } }")
        .contains("- { direct_remote_ip: { address_prefix: 10.89.0.1, prefix_len: 32 } }");
    assertThat(plaintext.indexOf("envoy.filters.network.rbac"))
        .isLessThan(plaintext.indexOf("http_connection_manager"));
    assertThat(n1.split("envoy.filters.network.rbac", -1)).hasSize(2);
    assertThat(MeshFiles.nodeResources(mesh, mesh.nodes().get(0), MeshLayout.containers()))
        .doesNotContain("envoy.filters.network.rbac");
  }

  @Test
  void everyInterceptedNodeGroupIsAcceptedWholeByTheControlPlanesValidation() throws Exception {
    MeshState mesh = ContainerMesh.planIntercepted(3, "cp", tmp, "10.214.16");
    Path resources = ContainerMesh.write(mesh, null, List.of("127.0.0.0/8", "10.214.16.1/32"));

    Map<String, GroupSnapshot> groups =
        SnapshotBuilder.build(new ResourceFolder(resources, Map.of()).load(), List.of(), true);

    assertThat(groups).containsKeys("n1", "n2", "n3");
  }

  @Test
  void anInterceptedPodFindsItsPeersByTheirFixedAddressesAndTracesWithoutAccessLogs()
      throws Exception {
    MeshState mesh = ContainerMesh.planIntercepted(3, "cp", tmp, "10.214.16");
    ContainerMesh.write(mesh, null, List.of("127.0.0.0/8", "10.214.16.1/32"));

    String n1 = Files.readString(tmp.resolve("resources/n1/mesh.yaml"));

    assertThat(mesh.nodes())
        .extracting(MeshState.Node::address)
        .containsExactly("10.214.16.11", "10.214.16.12", "10.214.16.13");
    assertThat(n1)
        .contains("envoy.filters.listener.original_dst", "envoy.filters.listener.tls_inspector")
        .contains("address: 0.0.0.0, port_value: 15006", "address: 0.0.0.0, port_value: 15001")
        .contains("prefix_ranges: [{ address_prefix: 10.214.16.12, prefix_len: 32 }]")
        .contains("destination_port: 8080", "value: { peer: n3, rules: [] }")
        .contains("address: 10.214.16.13, port_value: 8080", "cluster: PassthroughCluster")
        .contains("- { direct_remote_ip: { address_prefix: 10.214.16.1, prefix_len: 32 } }")
        .contains("address: outrigger-zipkin, port_value: 9411")
        .doesNotContain("to_n1", "peer_n1", "access_log", "outrigger-n2", "port_value: 10000");
    // Every connection manager (inbound mTLS, inbound plaintext, two outbound chains) traces.
    assertThat(n1.split("envoy.tracers.zipkin", -1)).hasSize(5);
  }

  @Test
  void theRulesOfAnInterceptedPodLetTheSidecarsGroupAndItsAdminPortPass() {
    assertThat(String.join(" ", ContainerMesh.iptablesArgs()))
        .isEqualTo(
            "iptables --inbound-port 15006 --outbound-port 15001 --proxy-gid 1337"
                + " --exclude-inbound-ports 9901");
  }

  @Test
  void anInterceptedMeshWantsTheFirstThreeOctetsOfASubnet() {
    for (String bad : List.of("10.214", "10.214.16.0", "10.214.256", "ten.0.0", "")) {
      assertThatThrownBy(() -> ContainerMesh.planIntercepted(3, "cp", tmp, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--subnet: \"" + bad + "\"");
    }
  }

  @Test
  void plaintextFromAutoIsLoopbackAndTheDefaultGatewayOfTheRoutingTable() throws Exception {
    Path routes = tmp.resolve("route");
    Files.writeString(
        routes,
        """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        eth0\t00000000\t0100590A\t0003\t0\t0\t0\t00000000\t0\t0\t0
        eth0\t0000590A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        """);

    assertThat(ContainerMesh.plaintextClients("auto", routes))
        .containsExactly("127.0.0.0/8", "10.89.0.1/32");
    assertThat(ContainerMesh.plaintextClients("auto", tmp.resolve("none")))
        .containsExactly("127.0.0.0/8");
    assertThat(ContainerMesh.plaintextClients("any", routes)).isEmpty();
    assertThat(ContainerMesh.plaintextClients("127.0.0.0/8, 172.17.0.1", routes))
        .containsExactly("127.0.0.0/8", "172.17.0.1/32");
    assertThatThrownBy(() -> ContainerMesh.plaintextClients("10.0.0.300", routes))
        .hasMessageContaining("--plaintext-from: \"10.0.0.300\"");
    assertThatThrownBy(() -> ContainerMesh.plaintextClients("::1/128", routes))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMeshOnLoopbackKeepsStaticAddressesAndItsAccessLogs() {
    MeshState mesh = ContainerMesh.plan(2, "cp", tmp);
    String n1 = MeshFiles.nodeResources(mesh, mesh.nodes().get(0));

    assertThat(n1)
        .contains("address: 127.0.0.1, port_value: 10000", "access_log")
        .doesNotContain("STRICT_DNS", "outrigger-n2", "0.0.0.0", "tracing");
  }

  @Test
  void anExternalMeshIsNotStoppedOrKilledFromHere() throws Exception {
    Files.writeString(
        tmp.resolve(MeshState.FILE),
        """
        {"mode": "cp", "dir": "%s", "external": true,
         "controlPlane": {"xdsPort": 1, "httpPort": 1},
         "nodes": [{"name": "n1", "storePort": 1, "adminPort": 1, "inboundPort": 1,
                    "outboundPort": 1}]}
        """
            .formatted(tmp));
    MeshState mesh = Mesh.find(tmp);

    assertThat(mesh.external()).isTrue();
    assertThatThrownBy(() -> Mesh.down(tmp))
        .isInstanceOf(MeshException.class)
        .hasMessageContaining("runs elsewhere");
    assertThatThrownBy(() -> Mesh.killStore(mesh, "n1")).isInstanceOf(MeshException.class);
    // Nor is a mesh of processes started over its description (the lab would otherwise).
    assertThatThrownBy(
            () ->
                Mesh.up(
                    new MeshOptions(1, "cp", tmp, java.time.Duration.ofSeconds(1)),
                    new java.io.PrintWriter(java.io.Writer.nullWriter())))
        .isInstanceOf(MeshException.class)
        .hasMessageContaining("mesh up");
    assertThat(Files.readString(tmp.resolve(MeshState.FILE))).contains("\"external\": true");
  }

  @Test
  void theCommittedComposeMeshFileDescribesThreeExternalNodes() throws Exception {
    Path docker = Path.of("..", "docker").toAbsolutePath().normalize();
    MeshState mesh = Mesh.find(docker);

    assertThat(mesh.external()).isTrue();
    assertThat(mesh.nodes()).extracting(MeshState.Node::name).containsExactly("n1", "n2", "n3");
    assertThat(mesh.controlPlane().url().toString()).isEqualTo("http://127.0.0.1:18001");
  }

  @Test
  void theComposeSidecarBootstrapTakesItsNodeFromTheEnvironment() throws Exception {
    Path bootstrap = Path.of("..", "docker", "sidecar.yaml");

    var loaded =
        BootstrapLoader.load(
            bootstrap, Map.of("OUTRIGGER_NODE", "n2", "OUTRIGGER_XDS_TOKEN", "ort_test"));

    assertThat(loaded.proto().getNode().getId()).isEqualTo("n2");
    assertThat(loaded.proto().getNode().getCluster()).isEqualTo("n2");
    assertThat(Files.readString(bootstrap)).contains("outrigger-control-plane, port_value: 18000");
  }

  @Test
  void theComposeSidecarBootstrapVerifiesTheControlPlaneAndPresentsItsTokenFromTheEnvironment()
      throws Exception {
    Path bootstrap = Path.of("..", "docker", "sidecar.yaml");

    var loaded =
        BootstrapLoader.load(
            bootstrap, Map.of("OUTRIGGER_NODE", "n2", "OUTRIGGER_XDS_TOKEN", "ort_test"));

    var ads = loaded.proto().getDynamicResources().getAdsConfig().getGrpcServices(0);
    assertThat(ads.getInitialMetadata(0).getKey()).isEqualTo("authorization");
    assertThat(ads.getInitialMetadata(0).getValue()).isEqualTo("Bearer ort_test");
    var xds = loaded.proto().getStaticResources().getClusters(0);
    assertThat(xds.getName()).isEqualTo("xds");
    var validation =
        xds.getTransportSocket()
            .getTypedConfig()
            .unpack(UpstreamTlsContext.class)
            .getCommonTlsContext()
            .getValidationContext();
    assertThat(validation.getTrustedCa().getFilename())
        .isEqualTo("/var/lib/outrigger/credentials/ca.pem");
    assertThat(validation.getMatchTypedSubjectAltNames(0).getMatcher().getExact())
        .isEqualTo(MeshFiles.CONTROL_PLANE_ID);
    // Without its token a sidecar does not start (rather than ask the control plane without one).
    assertThatThrownBy(() -> BootstrapLoader.load(bootstrap, Map.of("OUTRIGGER_NODE", "n2")))
        .hasMessageContaining("OUTRIGGER_XDS_TOKEN");
  }

  @Test
  void theComposeFileRunsTheControlPlaneAndTheSidecarsWithTheCredentialsThisCommandWrites()
      throws Exception {
    String compose = Files.readString(Path.of("..", "docker", "compose.yaml"));
    MeshState mesh = ContainerMesh.plan(3, "cp", Path.of("/var/lib/outrigger/mesh"));

    assertThat(compose)
        .contains("--dir /var/lib/outrigger/mesh", "--credentials /var/lib/outrigger/credentials")
        .contains("--tokens " + MeshTokens.controlPlaneFile(mesh))
        .contains("--ca " + MeshFiles.caDir(mesh))
        .contains("--csr-secret default", "OUTRIGGER_XDS_TOKEN=")
        .doesNotContain("--insecure", "ort_");
  }

  @Test
  void theInterceptComposeFileInstallsTheRulesThisCommandPrintsAndPutsThePodsWhereItsChainsLook()
      throws Exception {
    String compose = Files.readString(Path.of("..", "docker", "compose-intercept.yaml"));
    String subnet = "${OUTRIGGER_INTERCEPT_SUBNET:-10.214.16}";
    MeshState mesh = ContainerMesh.planIntercepted(3, "cp", tmp, "10.214.16");

    String initCommand =
        ContainerMesh.iptablesArgs().stream()
            .map(a -> "\"" + a + "\"")
            .collect(java.util.stream.Collectors.joining(", "));
    assertThat(compose.replaceAll("\\s+", " ")).contains("command: [" + initCommand + "]");
    assertThat(compose)
        .contains("--intercept --subnet " + subnet, "subnet: " + subnet + ".0/24")
        .contains("user: \"10001:" + MeshNetwork.PROXY_GID + "\"", "cap_add: [NET_ADMIN]")
        .contains("--csr-secret default", "OUTRIGGER_XDS_TOKEN=")
        .doesNotContain("--insecure", "ort_", "container_name");
    for (MeshState.Node node : mesh.nodes()) {
      assertThat(compose)
          .contains("ipv4_address: \"" + node.address().replace("10.214.16", subnet) + "\"")
          .contains("\"--node\", \"" + node.name() + "\", \"--listen\", \"0.0.0.0:8080\"");
    }
  }

  @Test
  void refusesAMeshWithoutNodes() {
    assertThatThrownBy(() -> ContainerMesh.plan(0, "cp", tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--nodes: 0");
  }
}
