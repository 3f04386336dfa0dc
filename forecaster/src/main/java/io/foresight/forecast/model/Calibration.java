package io.foresight.forecast.model;

/**
 * Split-conformal calibration of one target and model kind: {@code quantileLog} is the calibrated
 * quantile of held-out log residuals ({@code ln(actual) - ln(predicted)}), so that {@code
 * exp(prediction + quantileLog)} bounds the actual with the nominal coverage. For component models
 * the residuals were divided by each model's {@link ScalingModel#width} first, and the bound is
 * {@link #componentOffset} above the prediction. {@code meanAbsLogError} is the mean absolute
 * calibrated value (residual, or residual over width).
 *
 * @param maxLogResidual the largest held-out log residual itself (not divided by a width); 0 or
 *     less in files written before it was kept, and in calibrations that saw no positive residual
 *     (whose quantile is not positive either)
 */
public record Calibration(
    int n, double quantileLog, double meanAbsLogError, double maxLogResidual) {
  /** No held-out residuals: no bound can be promised. */
  public static Calibration none() {
    return new Calibration(0, Double.NaN, Double.NaN, Double.NaN);
  }

  public boolean usable() {
    return n > 0 && Double.isFinite(quantileLog);
  }

  /**
   * How far above component model {@code m}'s log prediction at {@code x} its upper bound lies: the
   * calibrated quantile times the model's expected error there, but never more than the largest
   * miss the calibration saw, grown by the same leverage as the expected error.
   *
   * <p>The cap matters when a component whose runs all agreed (its spread at the floor) misses far
   * in a held-out run: its score is hundreds of its own spreads, that becomes the quantile, and
   * times a noisier component's spread it would put that component's bound at millions of times its
   * point. Plain split conformal would have widened every bound by that one miss, and no more.
   */
  public double componentOffset(ScalingModel m, double[] x) {
    double offset = quantileLog * m.width(x);
    if (maxLogResidual > 0 && m.residualSd() > 0) {
      offset = Math.min(offset, maxLogResidual * m.leverageFactor(x));
    }
    // The held-out runs that such a component predicted exactly were left out of the calibration
    // (ForecastTrainer.componentCalibration): its bound stays at or above its value whatever the
    // others' quantile.
    return m.exact() ? Math.max(0, offset) : offset;
  }
}
