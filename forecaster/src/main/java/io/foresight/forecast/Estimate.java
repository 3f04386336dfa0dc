package io.foresight.forecast;

/**
 * One predicted quantity: a point estimate, an upper bound at the model's calibrated quantile, and
 * a confidence. {@code NaN} point and bound mean "no prediction" (then confidence is LOW).
 */
public record Estimate(double point, double upper, Confidence confidence, String reason) {
  public static Estimate none(String reason) {
    return new Estimate(Double.NaN, Double.NaN, Confidence.LOW, reason);
  }

  public boolean present() {
    return !Double.isNaN(point);
  }
}
