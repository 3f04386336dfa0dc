package io.foresight.forecast.model;

/**
 * Split-conformal calibration of one target and model kind: {@code quantileLog} is the calibrated
 * quantile of held-out log residuals ({@code ln(actual) - ln(predicted)}), so that {@code
 * exp(prediction + quantileLog)} bounds the actual with the nominal coverage. {@code
 * meanAbsLogError} is the held-out error used for confidence.
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
