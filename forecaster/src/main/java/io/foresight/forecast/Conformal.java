package io.foresight.forecast;

import io.foresight.forecast.model.Calibration;
import java.util.Arrays;

/**
 * Split-conformal calibration of an upper bound. Given the residuals {@code actual - predicted} of
 * {@code n} held-out examples, the bound {@code predicted + q}, with {@code q} the {@code ceil((n +
 * 1) level)}-th smallest residual, covers a new exchangeable example with probability at least
 * {@code level}. With too few residuals for the level ({@code ceil((n + 1) level) > n}) no finite
 * bound has that guarantee and the calibration is not usable.
 */
public final class Conformal {
  private Conformal() {}

  public static Calibration calibrate(double[] residuals, double level) {
    return calibrate(residuals, residuals, level);
  }

  /**
   * Normalised split conformal: the quantile is taken over the scores {@code residuals[i] /
   * widths[i]}, each residual in units of the expected error of the model that made it; the
   * calibration also keeps the largest residual itself ({@link Calibration#maxLogResidual}).
   */
  public static Calibration calibrateNormalised(double[] residuals, double[] widths, double level) {
    if (residuals.length != widths.length) {
      throw new IllegalArgumentException(
          residuals.length + " residuals but " + widths.length + " widths");
    }
    double[] scores = new double[residuals.length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = residuals[i] / widths[i];
    }
    return calibrate(scores, residuals, level);
  }

  private static Calibration calibrate(double[] scores, double[] residuals, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("A coverage level must be in (0, 1), got " + level);
    }
    int n = scores.length;
    if (n == 0) {
      return Calibration.none();
    }
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    int k = (int) Math.ceil((n + 1) * level);
    double q = k > n ? Double.POSITIVE_INFINITY : sorted[k - 1];
    double abs = 0;
    for (double r : scores) {
      abs += Math.abs(r);
    }
    return new Calibration(n, q, abs / n, Arrays.stream(residuals).max().orElse(Double.NaN));
  }

  /** The fewest residuals that give a finite bound at {@code level}. */
  public static int minimumResiduals(double level) {
    return (int) Math.ceil(level / (1 - level) - 1e-9);
  }
}
