package io.outrigger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.kvstore.KvStoreOptions;
import io.outrigger.kvstore.Mode;
import io.outrigger.kvstore.Peer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code outrigger kvstore}: its options as the store takes them, and its refusals. */
class KvstoreCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Outrigger.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static KvstoreCommand parse(String... args) {
    KvstoreCommand command = new KvstoreCommand();
    CommandLine cli = new CommandLine(command);
    cli.registerConverter(Duration.class, new DurationConverter());
    cli.parseArgs(args);
    return command;
  }

  @Test
  void theMeshContractsCommandLineBecomesTheStoresOptions() {
    KvStoreOptions o =
        parse(
                "--node", "n1",
                "--listen", "127.0.0.1:7001",
                "--peers", "n2=127.0.0.1:15001,n3=127.0.0.1:15001",
                "--mode", "cp",
                "--data", "/tmp/n1",
                "--request-timeout", "250ms")
            .options();
    assertThat(o.node()).isEqualTo("n1");
    assertThat(o.listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 7001));
    assertThat(o.peers())
        .containsExactly(
            new Peer("n2", new InetSocketAddress("127.0.0.1", 15001)),
            new Peer("n3", new InetSocketAddress("127.0.0.1", 15001)));
    assertThat(o.mode()).isEqualTo(Mode.CP);
    assertThat(o.dataDir()).isEqualTo(Path.of("/tmp/n1"));
    assertThat(o.requestTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.antiEntropyInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.fsync()).isTrue();
    assertThat(o.majority()).isEqualTo(2);
  }

  @Test
  void defaultsAreAnInMemoryCpReplicaOnAFreePort() {
    KvStoreOptions o = parse("--node", "solo", "--no-fsync", "--mode", "ap").options();
    assertThat(o.listen().getPort()).isZero();
    assertThat(o.peers()).isEmpty();
    assertThat(o.dataDir()).isNull();
    assertThat(o.fsync()).isFalse();
    assertThat(o.mode()).isEqualTo(Mode.AP);
  }

  @Test
  void anUnknownModeIsRefusedByName() {
    assertThat(run("kvstore", "--node", "n1", "--mode", "ca")).isEqualTo(2);
    assertThat(err.toString()).contains("mode: \"ca\" (expected: cp, cp-unsafe, ap)");
  }

  @Test
  void aPeerWithoutAPortIsRefusedByName() {
    assertThat(run("kvstore", "--node", "n1", "--peers", "n2=localhost")).isEqualTo(2);
    assertThat(err.toString()).contains("--peers n2:").contains("expected: HOST:PORT");
  }

  @Test
  void thisNodeCannotBeItsOwnPeer() {
    assertThat(run("kvstore", "--node", "n1", "--peers", "n1=127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString()).contains("\"n1\" appears twice or is this node");
  }

  @Test
  void helpDescribesEveryOption() {
    assertThat(run("kvstore", "--help")).isZero();
    assertThat(out.toString())
        .contains("--node")
        .contains("--listen")
        .contains("--peers")
        .contains("--mode")
        .contains("--data")
        .contains("--request-timeout")
        .contains("--anti-entropy-interval")
        .contains("--no-fsync");
  }
}
