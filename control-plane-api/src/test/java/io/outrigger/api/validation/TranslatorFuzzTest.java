package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Arrays;

/**
 * Any xDS resource a control plane could send (the first byte picks Listener, Cluster or
 * RouteConfiguration; the rest is the message's wire form) becomes a valid model or a refusal whose
 * message starts with the resource's path: never another exception. Committed inputs under {@code
 * TranslatorFuzzTestInputs} replay in every build; {@code mvn -Pfuzz} fuzzes.
 */
class TranslatorFuzzTest {
  private static final String PATH = "resources[0]";

  @FuzzTest(maxDuration = "60s")
  void anyResourceTranslatesOrIsRefusedWithAPath(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] wire = Arrays.copyOfRange(data, 1, data.length);
    try {
      switch (Math.floorMod(data[0], 3)) {
        case 0 -> ListenerTranslator.translate(Listener.parseFrom(wire), PATH);
        case 1 -> ClusterTranslator.translate(Cluster.parseFrom(wire), PATH);
        default -> RouteConfigTranslator.translate(RouteConfiguration.parseFrom(wire), PATH);
      }
    } catch (InvalidProtocolBufferException notAResource) {
      // the control plane's gRPC layer would have refused it before a translator saw it
    } catch (ConfigException refused) {
      assertThat(refused.getMessage()).startsWith(PATH);
    }
  }
}
