package io.outrigger.filters.network.connectionlimit;

import io.netty.util.concurrent.ScheduledFuture;
import io.outrigger.filters.network.NetworkFilter;
import io.outrigger.filters.network.NetworkFilterCallbacks;
import io.outrigger.filters.network.NetworkFilterStatus;
import java.util.concurrent.TimeUnit;

/**
 * The connection limit for one connection: it passes if a slot is free and gives the slot back when
 * it closes; otherwise it is closed, at once or after the configured delay (held meanwhile: read
 * and discarded, never answered), before the terminal filter sees a byte.
 */
final class ConnectionLimitFilter implements NetworkFilter {
  private final ConnectionLimitFilterFactory factory;
  private boolean counted;
  private ScheduledFuture<?> delayedClose;

  ConnectionLimitFilter(ConnectionLimitFilterFactory factory) {
    this.factory = factory;
  }

  @Override
  public NetworkFilterStatus onNewConnection(NetworkFilterCallbacks callbacks) {
    if (factory.tryAcquire()) {
      counted = true;
      return NetworkFilterStatus.CONTINUE;
    }
    long delay = factory.delayMillis();
    if (delay <= 0) {
      callbacks.close();
    } else {
      callbacks.hold();
      delayedClose = callbacks.executor().schedule(callbacks::close, delay, TimeUnit.MILLISECONDS);
    }
    return NetworkFilterStatus.STOP_ITERATION;
  }

  @Override
  public void onClose() {
    if (counted) {
      counted = false;
      factory.release();
    }
    if (delayedClose != null) {
      delayedClose.cancel(false);
      delayedClose = null;
    }
  }
}
