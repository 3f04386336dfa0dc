package io.foresight.forecast.model;

/**
 * Split-conformal calibration of one target and model kind: {@code quantileLog} is the calibrated
 * quantile of held-out log residuals ({@code ln(actual) - ln(predicted)}), so that {@code
 * exp(prediction + quantileLog)} bounds the actual with the nominal coverage. For component models
 * the residuals were divided by each model's {@link ScalingModel#width} first, and the bound is
 * {@code exp(prediction + quantileLog * width)}. {@code meanAbsLogError} is the mean absolute
 * calibrated value (residual, or residual over width).
 */
public record Calibration(int n, double quantileLog, double meanAbsLogError) {
  /** No held-out residuals: no bound can be promised. */
  public static Calibration none() {
    return new Calibration(0, Double.NaN, Double.NaN);
  }

  public boolean usable() {
    return n > 0 && Double.isFinite(quantileLog);
  }
}
