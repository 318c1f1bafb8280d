/**
 * Envoy's overload manager for the sidecar: what it measures (memory pressure, open downstream
 * connections) and what the data path does about it (shed requests, close keep-alive connections,
 * stop or refuse new connections).
 */
package io.outrigger.proxy.overload;
