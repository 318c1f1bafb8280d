/**
 * Header matching and header mutation over Netty headers, compiled once per config snapshot and
 * shared by the route table (in the proxy) and by the HTTP filters.
 */
package io.outrigger.filters.http.headers;
