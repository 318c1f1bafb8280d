package io.outrigger.api.validation;

import static io.outrigger.api.validation.Protos.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.outrigger.api.model.SocketAddressConfig;
import io.outrigger.api.validation.AddressTranslator.HostKind;
import org.junit.jupiter.api.Test;

class AddressTranslatorTest {
  @Test
  void translatesIpv4AndIpv6BindAddresses() throws Exception {
    assertThat(AddressTranslator.translateBind(address("0.0.0.0", 0), "a"))
        .isEqualTo(new SocketAddressConfig("0.0.0.0", 0));
    assertThat(AddressTranslator.translateBind(address("::1", 65535), "a"))
        .isEqualTo(new SocketAddressConfig("::1", 65535));
  }

  @Test
  void refusesHostnameToBindTo() {
    assertThatThrownBy(
            () -> AddressTranslator.translateBind(address("localhost", 80), "listeners[0].address"))
        .hasMessage(
            "listeners[0].address.socket_address.address: \"localhost\" is not an IP address"
                + " (expected: an IP literal to bind to)");
  }

  @Test
  void acceptsHostnameForDnsEndpointsOnly() throws Exception {
    assertThat(
            AddressTranslator.translateUpstream(
                address("backend.svc", 80), "a", HostKind.IP_OR_HOSTNAME))
        .isEqualTo(new SocketAddressConfig("backend.svc", 80));
    assertThatThrownBy(
            () ->
                AddressTranslator.translateUpstream(
                    address("backend.svc", 80), "a", HostKind.IP_LITERAL))
        .hasMessageStartingWith("a.socket_address.address: \"backend.svc\" is not an IP address");
  }

  @Test
  void refusesPortOutOfRangeAndUpstreamPortZero() {
    assertThatThrownBy(() -> AddressTranslator.translateBind(address("127.0.0.1", 70000), "a"))
        .hasMessage("a.socket_address.port_value: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> AddressTranslator.translateBind(address("127.0.0.1", -1), "a"))
        .hasMessage("a.socket_address.port_value: 4294967295 (expected: 0..65535)");
    assertThatThrownBy(
            () ->
                AddressTranslator.translateUpstream(
                    address("127.0.0.1", 0), "a", HostKind.IP_LITERAL))
        .hasMessage("a.socket_address.port_value: 0 (expected: 1..65535)");
  }

  @Test
  void refusesUdpPipeAndNamedPort() {
    Address udp =
        Address.newBuilder()
            .setSocketAddress(
                SocketAddress.newBuilder()
                    .setAddress("127.0.0.1")
                    .setPortValue(53)
                    .setProtocol(SocketAddress.Protocol.UDP))
            .build();
    Address pipe = Address.newBuilder().setPipe(Pipe.newBuilder().setPath("/tmp/s")).build();
    Address namedPort =
        Address.newBuilder()
            .setSocketAddress(
                SocketAddress.newBuilder().setAddress("127.0.0.1").setNamedPort("http"))
            .build();

    assertThatThrownBy(() -> AddressTranslator.translateBind(udp, "a"))
        .hasMessage("a.socket_address.protocol: UDP not supported (expected: TCP)");
    assertThatThrownBy(() -> AddressTranslator.translateBind(pipe, "a"))
        .hasMessage("a.pipe: " + SupportedFieldsCheck.NOT_SUPPORTED);
    assertThatThrownBy(() -> AddressTranslator.translateBind(namedPort, "a"))
        .hasMessage("a.socket_address.named_port: " + SupportedFieldsCheck.NOT_SUPPORTED);
  }

  @Test
  void recognisesIpLiteralsWithoutResolving() {
    assertThat(AddressTranslator.isIpLiteral("10.0.0.1")).isTrue();
    assertThat(AddressTranslator.isIpLiteral("::ffff:10.0.0.1")).isTrue();
    assertThat(AddressTranslator.isIpLiteral("fe80::1")).isTrue();
    assertThat(AddressTranslator.isIpLiteral("256.0.0.1")).isFalse();
    assertThat(AddressTranslator.isIpLiteral("10.0.0")).isFalse();
    assertThat(AddressTranslator.isIpLiteral("dead:beef:zz::1")).isFalse();
    assertThat(AddressTranslator.isIpLiteral("example.com")).isFalse();
  }
}
