package io.outrigger.proxy.admin;

/**
 * One path of the admin server.
 *
 * <p>Called on the admin server's own event loop (never a data-path loop), once per request to its
 * path with an allowed method. It must not block: anything slow is started and answered at once. It
 * never throws for bad input; it answers 4xx instead.
 */
@FunctionalInterface
public interface AdminEndpoint {
  /**
   * @return the response to send; never null
   */
  AdminResponse handle(AdminRequest request);
}
