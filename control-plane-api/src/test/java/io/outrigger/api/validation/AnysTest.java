package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.api.Test;

class AnysTest {
  private final Any tcpProxy =
      Any.pack(TcpProxy.newBuilder().setStatPrefix("ingress").setCluster("backend").build());

  @Test
  void unpacksTheTypeTheUrlNames() throws InvalidProtocolBufferException {
    assertThat(Anys.is(tcpProxy, TcpProxy.class)).isTrue();
    assertThat(Anys.unpack(tcpProxy, TcpProxy.class).getCluster()).isEqualTo("backend");
    assertThat(Anys.unpack(tcpProxy, TcpProxy.class)).isEqualTo(tcpProxy.unpack(TcpProxy.class));
  }

  @Test
  void refusesAnotherTypeAsProtobufDoes() {
    assertThat(Anys.is(tcpProxy, Router.class)).isFalse();
    assertThatThrownBy(() -> Anys.unpack(tcpProxy, Router.class))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void readsTheTypeNameAfterTheLastSlashOfAnyPrefix() {
    Any custom =
        Any.newBuilder()
            .setTypeUrl("example.com/a/b/" + TcpProxy.getDescriptor().getFullName())
            .setValue(tcpProxy.getValue())
            .build();
    assertThat(Anys.is(custom, TcpProxy.class)).isTrue();

    Any bare = custom.toBuilder().setTypeUrl(TcpProxy.getDescriptor().getFullName()).build();
    assertThat(Anys.is(bare, TcpProxy.class)).isEqualTo(bare.is(TcpProxy.class)).isFalse();
  }

  @Test
  void badBytesAreAParseError() {
    Any broken =
        Any.newBuilder()
            .setTypeUrl(tcpProxy.getTypeUrl())
            .setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}))
            .build();
    assertThatThrownBy(() -> Anys.unpack(broken, TcpProxy.class))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void supportedFieldsCheckReadsSetFieldsFromTheDynamicCopy() {
    TcpProxy proxy = TcpProxy.newBuilder().setStatPrefix("ingress").build();
    assertThat(SupportedFieldsCheck.setFields(proxy).keySet())
        .extracting(f -> f.getName())
        .containsExactly("stat_prefix");
    assertThat(SupportedFieldsCheck.setFields(proxy.toBuilder().setCluster("b")).keySet())
        .extracting(f -> f.getName())
        .containsExactly("stat_prefix", "cluster");
  }
}
