/**
 * The HTTP connection manager's configuration and the routing model: route configurations, virtual
 * hosts, routes, their matches and actions, header mutations.
 *
 * <p>Records only, as in {@code io.outrigger.api.model}: each compact constructor fills defaults
 * and checks invariants; messages start with the snake_case field name so that translators can move
 * it into the field path. Regular expressions are kept as text and compile-checked here; the data
 * plane compiles them once per config snapshot.
 */
package io.outrigger.api.model.http;
