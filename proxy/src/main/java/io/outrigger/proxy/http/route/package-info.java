/**
 * Routing, as pure logic: virtual-host and route selection, cluster choice, request hashing, path
 * and host rewrites, header mutations and redirects. No sockets and no event-loop code; everything
 * is compiled once per config snapshot ({@link io.outrigger.proxy.http.route.RouteTable}) and then
 * read without locks from any thread.
 */
package io.outrigger.proxy.http.route;
