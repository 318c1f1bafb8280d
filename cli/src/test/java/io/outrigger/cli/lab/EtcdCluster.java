package io.outrigger.cli.lab;

import io.outrigger.cli.SidecarProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * Three (or more) real etcd members on loopback, started as processes with their data directories
 * and logs under a test's folder; {@link #close} kills every one of them, and so does a failure to
 * start. Members are named like the lab's nodes ({@code n1}, {@code n2}...).
 */
final class EtcdCluster implements AutoCloseable {
  static final Path ETCD = Path.of("/usr/bin/etcd");

  private final List<Process> processes = new ArrayList<>();
  private final Map<String, URI> clientUrls = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  private EtcdCluster() {}

  /** Starts {@code members} members in {@code dir} and waits until they agree on a leader. */
  static EtcdCluster start(Path dir, int members) throws IOException {
    EtcdCluster cluster = new EtcdCluster();
    try {
      cluster.launch(dir, members);
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .pollInterval(Duration.ofMillis(200))
          .until(cluster::everyMemberKnowsALeader);
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void launch(Path dir, int members) throws IOException {
    List<int[]> ports = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      ports.add(new int[] {SidecarProcess.freePort(), SidecarProcess.freePort()});
    }
    String initialCluster = "";
    for (int i = 0; i < members; i++) {
      initialCluster +=
          (i == 0 ? "" : ",") + "n" + (i + 1) + "=http://127.0.0.1:" + ports.get(i)[1];
    }
    for (int i = 0; i < members; i++) {
      String name = "n" + (i + 1);
      String client = "http://127.0.0.1:" + ports.get(i)[0];
      String peer = "http://127.0.0.1:" + ports.get(i)[1];
      Path data = Files.createDirectories(dir.resolve(name));
      ProcessBuilder pb =
          new ProcessBuilder(
              ETCD.toString(),
              "--name=" + name,
              "--data-dir=" + data,
              "--listen-client-urls=" + client,
              "--advertise-client-urls=" + client,
              "--listen-peer-urls=" + peer,
              "--initial-advertise-peer-urls=" + peer,
              "--initial-cluster=" + initialCluster,
              "--initial-cluster-state=new",
              "--initial-cluster-token=lab-" + dir.getFileName());
      pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
      processes.add(pb.start());
      clientUrls.put(name, URI.create(client));
    }
  }

  private boolean everyMemberKnowsALeader() {
    for (URI url : clientUrls.values()) {
      try {
        HttpResponse<String> r = status(url);
        if (r.statusCode() != 200 || !r.body().contains("\"leader\"")) {
          return false;
        }
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** {@code POST /v3/maintenance/status} of one member. */
  HttpResponse<String> status(URI url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + "/v3/maintenance/status"))
            .timeout(Duration.ofSeconds(2))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Node name to client URL. */
  Map<String, URI> clientUrls() {
    return Map.copyOf(clientUrls);
  }

  /** The {@code --etcd-endpoints} value: {@code n1=http://127.0.0.1:P1,n2=...}. */
  String endpoints() {
    return clientUrls.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** Kills every member (SIGTERM, then SIGKILL after 5 s) and waits for each to be gone. */
  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True while any member still runs. */
  boolean anyAlive() {
    return processes.stream().anyMatch(Process::isAlive);
  }
}
