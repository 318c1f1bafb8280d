package io.outrigger.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.cli.mesh.MeshState;
import io.outrigger.cli.mesh.MeshTokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code outrigger cp}: drives a running control plane over its HTTP API. Exit status 0 on success,
 * 2 when the control plane refuses the request (a 4xx, e.g. a bad resource), 1 when it cannot be
 * reached or fails.
 */
@Command(
    name = "cp",
    mixinStandardHelpOptions = true,
    description = "Drives a running control plane over its HTTP API.",
    subcommands = {
      CpCommand.Status.class,
      CpCommand.Apply.class,
      CpCommand.Register.class,
      CpCommand.Deregister.class
    })
final class CpCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The option every subcommand takes, and how each answer becomes output and exit status. */
  abstract static class Base implements Callable<Integer> {
    @Option(
        names = "--control-plane",
        paramLabel = "URL",
        description =
            "The control plane's HTTP API (default: " + ControlPlaneClient.DEFAULT_URL + ").")
    String controlPlane = ControlPlaneClient.DEFAULT_URL;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description =
            "A file holding the API token (`outrigger certs token --api ...`); default: the"
                + " OUTRIGGER_TOKEN variable, else none.")
    Path tokenFile;

    @Option(
        names = "--mesh-dir",
        paramLabel = "DIR",
        description =
            "Drive the control plane of the `outrigger mesh` in DIR: its URL and its API token"
                + " (DIR/tokens/api.token).")
    Path meshDir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The URL and token the options and environment name. */
    private ControlPlaneClient client() throws IOException, UsageError {
      String url = controlPlane;
      Optional<String> token = Optional.ofNullable(System.getenv("OUTRIGGER_TOKEN"));
      if (meshDir != null) {
        MeshState mesh =
            MeshState.load(meshDir.toAbsolutePath().normalize())
                .orElseThrow(() -> new UsageError("--mesh-dir: no mesh in " + meshDir));
        url = mesh.controlPlane().url().toString();
        token = Optional.of(MeshTokens.read(MeshTokens.apiFile(mesh.path())));
      }
      if (tokenFile != null) {
        token = Optional.of(MeshTokens.read(tokenFile));
      }
      return new ControlPlaneClient(url, token.filter(t -> !t.isBlank()));
    }

    abstract ControlPlaneClient.Answer request(ControlPlaneClient client) throws Exception;

    abstract void print(PrintWriter out, String body);

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      ControlPlaneClient.Answer answer;
      try {
        answer = request(client());
      } catch (UsageError e) {
        err.println(e.getMessage());
        return Outrigger.EXIT_CONFIG;
      } catch (IOException e) {
        err.println("cannot reach the control plane at " + controlPlane + ": " + e);
        return 1;
      } catch (Exception e) {
        err.println("request failed: " + e);
        return 1;
      }
      if (!answer.ok()) {
        err.println(
            "control plane answered " + answer.status() + ": " + errorMessage(answer.body()));
        return answer.status() < 500 ? Outrigger.EXIT_CONFIG : 1;
      }
      print(spec.commandLine().getOut(), answer.body());
      spec.commandLine().getOut().flush();
      return 0;
    }

    private static String errorMessage(String body) {
      try {
        return JsonParser.parseString(body)
            .getAsJsonObject()
            .getAsJsonObject("error")
            .get("message")
            .getAsString();
      } catch (RuntimeException e) {
        return body.strip();
      }
    }
  }

  /** A bad argument found while building the request. */
  static final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Prints every connected proxy's sync state, per xDS type.")
  static final class Status extends Base {
    @Option(
        names = "--json",
        description = "Prints the status as JSON (the body of GET /v1/status).")
    boolean json;

    @Override
    ControlPlaneClient.Answer request(ControlPlaneClient client) throws Exception {
      return client.get("/v1/status");
    }

    @Override
    void print(PrintWriter out, String body) {
      out.print(json ? body : StatusTable.render(body));
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Adds or replaces the resources of a file (a YAML list of @type'd resources); the control"
              + " plane writes them to its folder.")
  static final class Apply extends Base {
    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "The resource file.")
    Path file;

    @Option(
        names = "--group",
        paramLabel = "GROUP",
        description = "Only for the proxies whose node.cluster is GROUP (default: every group).")
    String group;

    @Override
    ControlPlaneClient.Answer request(ControlPlaneClient client) throws Exception {
      String body;
      try {
        body = Files.readString(file);
      } catch (NoSuchFileException e) {
        throw new UsageError(file + ": no such file");
      }
      return client.put("/v1/resources" + (group == null ? "" : "?group=" + encode(group)), body);
    }

    @Override
    void print(PrintWriter out, String body) {
      out.println("applied: " + JsonParser.parseString(body).getAsJsonObject().get("written"));
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Registers a service instance as a host of an EDS service; run it again within the TTL as"
              + " a heartbeat.")
  static final class Register extends Base {
    @Mixin Instance instance;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long it lives without a heartbeat (default: 30s).")
    String ttl = "30s";

    @Option(
        names = "--metadata",
        paramLabel = "KEY=VALUE",
        description = "Metadata; may be repeated.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Override
    ControlPlaneClient.Answer request(ControlPlaneClient client) throws Exception {
      JsonObject body = new JsonObject();
      body.addProperty("cluster", instance.cluster);
      body.addProperty("address", instance.address);
      body.addProperty("port", instance.port);
      body.addProperty("ttl", ttl);
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      body.add("metadata", meta);
      return client.post("/v1/endpoints", body.toString());
    }

    @Override
    void print(PrintWriter out, String body) {
      JsonObject r = JsonParser.parseString(body).getAsJsonObject();
      out.println("registered " + instance + " until " + r.get("expires_at").getAsString());
    }
  }

  @Command(
      name = "deregister",
      mixinStandardHelpOptions = true,
      description = "Removes a registered service instance.")
  static final class Deregister extends Base {
    @Mixin Instance instance;

    @Override
    ControlPlaneClient.Answer request(ControlPlaneClient client) throws Exception {
      return client.delete(
          "/v1/endpoints/"
              + encode(instance.cluster)
              + "/"
              + encode(instance.address)
              + "/"
              + instance.port);
    }

    @Override
    void print(PrintWriter out, String body) {
      out.println("deregistered " + instance);
    }
  }

  /** The options that name a registered service instance, shared by register and deregister. */
  static final class Instance {
    @Option(
        names = "--cluster",
        required = true,
        paramLabel = "NAME",
        description = "The EDS service name.")
    String cluster;

    @Option(
        names = "--address",
        required = true,
        paramLabel = "IP",
        description = "The instance's IP address.")
    String address;

    @Option(
        names = "--port",
        required = true,
        paramLabel = "PORT",
        description = "The instance's port.")
    int port;

    @Override
    public String toString() {
      return cluster + " " + address + ":" + port;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
