/**
 * Network faults between nodes (issue 8): the fault state ({@link
 * io.outrigger.controlplane.faults.FaultState}), its transitions ({@link
 * io.outrigger.controlplane.faults.FaultRegistry}) and its delivery to each node's sidecar by
 * rewriting that node group's route configurations and partition network filters ({@link
 * io.outrigger.controlplane.faults.FaultRewriter}). See {@code docs/xds.md}.
 */
package io.outrigger.controlplane.faults;
