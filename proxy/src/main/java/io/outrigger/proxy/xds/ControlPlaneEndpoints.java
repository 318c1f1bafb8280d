package io.outrigger.proxy.xds;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The endpoints of the {@code envoy_grpc} cluster as one gRPC target, {@code
 * outrigger-xds:///host1:port1,host2:port2}, so that the discovery stream fails over across all of
 * them: the resolver hands gRPC one address group per endpoint, in the cluster's order, and gRPC's
 * {@code pick_first} connects to the first that answers, starting from the first again at each new
 * connection. Host names are resolved at every resolution, off the caller's thread.
 */
final class ControlPlaneEndpoints extends NameResolverProvider {
  static final String SCHEME = "outrigger-xds";
  private static final ControlPlaneEndpoints INSTANCE = new ControlPlaneEndpoints();

  static {
    NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
  }

  private ControlPlaneEndpoints() {}

  /** The gRPC target for {@code hostPorts} ({@code host:port}, IPv6 hosts in brackets). */
  static String target(List<String> hostPorts) {
    if (hostPorts.size() == 1) {
      return hostPorts.get(0); // gRPC's own DNS resolver, as before
    }
    // A URI path may not hold IPv6 brackets: they travel percent-encoded (getPath() decodes them).
    return SCHEME + ":///" + String.join(",", hostPorts).replace("[", "%5B").replace("]", "%5D");
  }

  /** Makes sure the scheme is registered before a channel is built with such a target. */
  static void register() {
    // The static initializer did it; calling this loads the class.
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  /** Below gRPC's DNS resolver (5), so that a target without a scheme stays DNS's. */
  @Override
  protected int priority() {
    return 3;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    List<String> hostPorts = Arrays.asList(target.getPath().substring(1).split(","));
    return new Resolver(hostPorts, args.getOffloadExecutor());
  }

  private static final class Resolver extends NameResolver {
    private final List<String> hostPorts;
    private final Executor offload;
    private Listener2 listener;

    Resolver(List<String> hostPorts, Executor offload) {
      this.hostPorts = List.copyOf(hostPorts);
      this.offload = offload;
    }

    @Override
    public String getServiceAuthority() {
      return hostPorts.get(0);
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      Runnable task =
          () -> {
            List<EquivalentAddressGroup> groups = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String hostPort : hostPorts) {
              try {
                groups.add(new EquivalentAddressGroup(addresses(hostPort)));
              } catch (UnknownHostException | IllegalArgumentException e) {
                unknown.add(hostPort);
              }
            }
            if (groups.isEmpty()) {
              listener.onError(
                  Status.UNAVAILABLE.withDescription(
                      "no control plane endpoint resolves: " + unknown));
              return;
            }
            listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
          };
      if (offload != null) {
        offload.execute(task);
      } else {
        task.run();
      }
    }

    @Override
    public void shutdown() {}
  }

  /** Every address of {@code hostPort}'s host, with its port. */
  static List<SocketAddress> addresses(String hostPort) throws UnknownHostException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    List<SocketAddress> out = new ArrayList<>();
    for (InetAddress a : InetAddress.getAllByName(host)) {
      out.add(new InetSocketAddress(a, port));
    }
    return out;
  }
}
