package io.outrigger.api.model.overload;

/**
 * A trigger of an overload action on a resource monitor's pressure (from 0 to 1). Outrigger's only
 * reactive monitor is {@code envoy.resource_monitors.fixed_heap}, so every trigger names it.
 */
public sealed interface OverloadTrigger permits OverloadTrigger.Threshold, OverloadTrigger.Scaled {
  /** The trigger's state for {@code pressure}: 0 (off) to 1 (saturated). */
  double state(double pressure);

  /**
   * {@code threshold}: saturated at or above {@code value}, off below.
   *
   * @param value from 0 to 1
   */
  record Threshold(double value) implements OverloadTrigger {
    public Threshold {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("threshold.value: " + value + " (expected: 0..1)");
      }
    }

    @Override
    public double state(double pressure) {
      return pressure >= value ? 1 : 0;
    }
  }

  /**
   * {@code scaled}: off below {@code scalingThreshold}, saturated at or above {@code
   * saturationThreshold}, and in between the fraction of the way from one to the other.
   */
  record Scaled(double scalingThreshold, double saturationThreshold) implements OverloadTrigger {
    public Scaled {
      if (!(scalingThreshold >= 0 && scalingThreshold < saturationThreshold)
          || saturationThreshold > 1) {
        throw new IllegalArgumentException(
            "scaled: scaling_threshold "
                + scalingThreshold
                + ", saturation_threshold "
                + saturationThreshold
                + " (expected: 0 <= scaling_threshold < saturation_threshold <= 1)");
      }
    }

    @Override
    public double state(double pressure) {
      if (pressure >= saturationThreshold) {
        return 1;
      }
      if (pressure <= scalingThreshold) {
        return 0;
      }
      return (pressure - scalingThreshold) / (saturationThreshold - scalingThreshold);
    }
  }
}
