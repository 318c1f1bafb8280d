package io.outrigger.proxy.xds;

import static io.outrigger.proxy.xds.XdsResourceType.CLUSTER;
import static io.outrigger.proxy.xds.XdsResourceType.ENDPOINT;
import static io.outrigger.proxy.xds.XdsResourceType.LISTENER;
import static io.outrigger.proxy.xds.XdsResourceType.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InitialFetchTest {
  @Test
  void waitsForClustersListenersAndTheNamesTheyWanted() {
    InitialFetch fetch = new InitialFetch(Set.of(CLUSTER, LISTENER));

    fetch.accepted(CLUSTER, Set.of("backend"));
    fetch.wanted(ENDPOINT, Set.of("backend"));
    fetch.check();
    assertThat(fetch.future()).isNotDone();

    fetch.accepted(LISTENER, Set.of("in"));
    fetch.wanted(ROUTE, Set.of("local"));
    fetch.accepted(ENDPOINT, Set.of("backend"));
    fetch.check();
    assertThat(fetch.future()).isNotDone();

    fetch.accepted(ROUTE, Set.of("local"));
    fetch.check();
    assertThat(fetch.future()).isCompleted();
  }

  @Test
  void aResponseWithoutTheWantedNameDoesNotCountButARejectedOneDoes() {
    InitialFetch fetch = new InitialFetch(Set.of(CLUSTER));
    fetch.accepted(CLUSTER, Set.of("a", "b"));
    fetch.wanted(ENDPOINT, Set.of("a", "b"));

    fetch.accepted(ENDPOINT, Set.of("a"));
    fetch.check();
    assertThat(fetch.future()).isNotDone();

    fetch.rejected(ENDPOINT);
    fetch.check();
    assertThat(fetch.future()).isCompleted();
  }

  @Test
  void aRejectedWildcardTypeIsStillAwaitedUntilTheTimeoutWhichNamesIt() {
    InitialFetch fetch = new InitialFetch(Set.of(CLUSTER, LISTENER));
    fetch.accepted(CLUSTER, Set.of());
    fetch.rejected(LISTENER);
    fetch.wanted(ENDPOINT, Set.of("x"));
    fetch.check();
    assertThat(fetch.future()).isNotDone();

    assertThat(fetch.timeout()).isEqualTo("LDS EDS [x]");
    assertThat(fetch.future()).isCompleted();
    assertThat(fetch.timeout()).isEmpty();
  }

  @Test
  void namesAlreadyReceivedAreNotAwaitedAgain() {
    InitialFetch fetch = new InitialFetch(Set.of());
    fetch.accepted(ENDPOINT, Set.of("a"));

    fetch.wanted(ENDPOINT, Set.of("a"));
    fetch.check();

    assertThat(fetch.future()).isCompleted();
  }
}
