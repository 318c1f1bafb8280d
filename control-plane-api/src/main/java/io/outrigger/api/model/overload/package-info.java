/**
 * Envoy's overload manager ({@code config.overload.v3.OverloadManager}) as Outrigger supports it:
 * resource monitors that measure pressure, and actions that triggers switch on from it.
 */
package io.outrigger.api.model.overload;
