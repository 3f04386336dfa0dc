package io.foresight.forecast.model;

/**
 * A component's scaling model for one target: the linear model in log space, and the ranges it was
 * fitted on. A fit on a handful of runs can have a steep slope, so predictions are held within the
 * labels seen, widened by half a log unit and, outside the fitted input range, by at most 1.5 log
 * units of label per log unit of input (somewhat super-linear scaling).
 */
public record ScalingModel(
    LinearModel linear,
    double minLogLabel,
    double maxLogLabel,
    double minLogInput,
    double maxLogInput) {
  static final double MARGIN = 0.5;
  static final double MAX_SLOPE = 1.5;

  /** The log prediction for scaling features {@code x} ({@code x[0]} is the log input). */
  public double predict(double[] x) {
    double f = linear.predict(x);
    double below = Math.max(0, minLogInput - x[0]);
    double above = Math.max(0, x[0] - maxLogInput);
    double lo = minLogLabel - MARGIN - MAX_SLOPE * below;
    double hi = maxLogLabel + MARGIN + MAX_SLOPE * above;
    return Math.min(hi, Math.max(lo, f));
  }
}
