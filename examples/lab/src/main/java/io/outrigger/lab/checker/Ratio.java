package io.outrigger.lab.checker;

/** {@code ok} successes out of {@code attempted} operations. */
public record Ratio(long ok, long attempted) {
  public Ratio {
    if (ok < 0 || ok > attempted) {
      throw new IllegalArgumentException("ok: %s (expected: 0..%s)".formatted(ok, attempted));
    }
  }

  /** ok / attempted; 1.0 when nothing was attempted (nothing was refused). */
  public double value() {
    return attempted == 0 ? 1.0 : (double) ok / attempted;
  }

  Ratio plus(boolean success) {
    return new Ratio(ok + (success ? 1 : 0), attempted + 1);
  }
}
