/**
 * The data plane's immutable configuration model.
 *
 * <p>Every type here is a record whose compact constructor fills defaults and checks invariants, so
 * that an instance that exists is valid. The records are built from Envoy's v3 protos by the
 * translators in {@code io.outrigger.api.validation}; nothing in the data plane reads a proto.
 */
package io.outrigger.api.model;
