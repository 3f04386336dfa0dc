package io.foresight.forecast.model;

/**
 * Split-conformal calibration of one target and model kind: {@code quantileLog} is the calibrated
 * quantile of held-out log residuals ({@code ln(actual) - ln(predicted)}), so that {@code
 * exp(prediction + quantileLog)} bounds the actual with the nominal coverage. For component models
 * the residuals were divided by each model's {@link ScalingModel#width} first, and the bound is
 * {@link #componentOffset} above the prediction. {@code meanAbsLogError} is the mean absolute
 * calibrated value (residual, or residual over width).
 *
 * <p>A component calibration can keep the held-out runs whose input lay outside the volumes their
 * model was fitted on apart ({@link ScalingModel#extrapolates}): a prediction inside the volumes
 * its model has seen gets the quantile of the runs that were inside too, one outside them the
 * {@code extrapolated*} values.
 *
 * @param maxLogResidual the largest held-out log residual itself (not divided by a width); 0 or
 *     less in files written before it was kept, and in calibrations that saw no positive residual
 *     (whose quantile is not positive either)
 * @param extrapolatedN the held-out runs outside their model's volumes that were kept apart; 0 when
 *     none were (and in files written before), and then predictions outside the volumes seen use
 *     the same values as those inside
 * @param extrapolatedQuantileLog the quantile for a prediction outside its model's volumes: at
 *     least {@code quantileLog}, and at least the largest score of the runs kept apart
 * @param extrapolatedMaxLogResidual the largest log residual of all held-out runs, inside and
 *     outside
 */
public record Calibration(
    int n,
    double quantileLog,
    double meanAbsLogError,
    double maxLogResidual,
    int extrapolatedN,
    double extrapolatedQuantileLog,
    double extrapolatedMaxLogResidual) {

  /** A calibration that treats every prediction alike. */
  public Calibration(int n, double quantileLog, double meanAbsLogError, double maxLogResidual) {
    this(n, quantileLog, meanAbsLogError, maxLogResidual, 0, Double.NaN, Double.NaN);
  }

  /** No held-out residuals: no bound can be promised. */
  public static Calibration none() {
    return new Calibration(0, Double.NaN, Double.NaN, Double.NaN);
  }

  public boolean usable() {
    return n > 0 && Double.isFinite(quantileLog);
  }

  /**
   * This calibration, with {@code count} held-out runs outside their model's volumes kept apart:
   * their largest score and largest log residual, which the quantile and largest residual of the
   * runs inside raise to at least.
   */
  public Calibration withExtrapolated(int count, double largestScore, double largestResidual) {
    if (count <= 0) {
      return this;
    }
    return new Calibration(
        n,
        quantileLog,
        meanAbsLogError,
        maxLogResidual,
        count,
        Math.max(quantileLog, largestScore),
        Math.max(maxLogResidual, largestResidual));
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
   *
   * <p>Outside the volumes {@code m} was fitted on, the values of the held-out runs that were
   * outside theirs are used, when the calibration kept any apart.
   */
  public double componentOffset(ScalingModel m, double[] x) {
    boolean apart = extrapolatedN > 0 && m.extrapolates(x);
    double quantile = apart ? extrapolatedQuantileLog : quantileLog;
    double largestMiss = apart ? extrapolatedMaxLogResidual : maxLogResidual;
    double offset = quantile * m.width(x);
    if (largestMiss > 0 && m.residualSd() > 0) {
      offset = Math.min(offset, largestMiss * m.leverageFactor(x));
    }
    // The held-out runs that such a component predicted exactly were left out of the calibration
    // (ForecastTrainer.componentCalibration): its bound stays at or above its value whatever the
    // others' quantile.
    return m.exact() ? Math.max(0, offset) : offset;
  }
}
