package io.outrigger.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeferredSubscriptionsTest {
  private final List<String> sent = new ArrayList<>();
  private final DeferredSubscriptions deferred = new DeferredSubscriptions();

  @Test
  void namesWantedBeforeTheClientIsAttachedAreSentOnAttachThenChangesFollow() {
    deferred.want(XdsResourceType.ENDPOINT, Set.of("svc"));
    deferred.want(XdsResourceType.ROUTE, Set.of("rc"));
    assertThat(sent).isEmpty();

    deferred.attach((type, names) -> sent.add(type.shortName() + names));
    deferred.want(XdsResourceType.ROUTE, Set.of("rc"));
    deferred.want(XdsResourceType.ROUTE, Set.of("rc2"));

    assertThat(sent).containsExactly("EDS[svc]", "RDS[rc]", "RDS[rc2]");
    assertThatThrownBy(() -> deferred.attach((t, n) -> {}))
        .isInstanceOf(IllegalStateException.class);
  }
}
