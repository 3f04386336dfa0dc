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
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("A coverage level must be in (0, 1), got " + level);
    }
    int n = residuals.length;
    if (n == 0) {
      return Calibration.none();
    }
    double[] sorted = residuals.clone();
    Arrays.sort(sorted);
    int k = (int) Math.ceil((n + 1) * level);
    double q = k > n ? Double.POSITIVE_INFINITY : sorted[k - 1];
    double abs = 0;
    for (double r : residuals) {
      abs += Math.abs(r);
    }
    return new Calibration(n, q, abs / n);
  }

  /** The fewest residuals that give a finite bound at {@code level}. */
  public static int minimumResiduals(double level) {
    return (int) Math.ceil(level / (1 - level) - 1e-9);
  }
}
