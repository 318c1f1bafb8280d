/**
 * The mesh CA behind {@code outrigger certs}: a CA per SPIFFE trust domain ({@link
 * io.outrigger.certs.MeshCa}) that issues workload certificates carrying a SPIFFE ID as their only
 * URI SAN ({@link io.outrigger.certs.WorkloadCertificate}), written as PEM. BouncyCastle builds the
 * certificates; keys are EC P-256.
 */
package io.outrigger.certs;
