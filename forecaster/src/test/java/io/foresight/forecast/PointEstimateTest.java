package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A component's point estimate is where its runs usually land: the shift of its log-linear fit that
 * gives the least mean relative error over its own runs.
 */
class PointEstimateTest {
  private static double meanRelativeError(double[] r, double c) {
    double sum = 0;
    for (double v : r) {
      sum += Math.abs(Math.exp(c - v) - 1);
    }
    return sum / r.length;
  }

  @Test
  void theShiftGivesTheLeastMeanRelativeError() {
    Random rnd = new Random(4);
    for (int trial = 0; trial < 50; trial++) {
      double[] r = new double[6 + rnd.nextInt(40)];
      for (int i = 0; i < r.length; i++) {
        r[i] = rnd.nextDouble() < 0.6 ? -0.2 + 0.05 * rnd.nextGaussian() : 0.3;
      }
      double shift = ForecastTrainer.relativeErrorShift(r);
      double best = meanRelativeError(r, shift);
      for (double c = -1; c <= 1; c += 0.001) {
        assertTrue(best <= meanRelativeError(r, c) + 1e-12, "shift " + shift + " beaten by " + c);
      }
    }
  }

  /**
   * A stage that pays a fresh JVM's warm-up (+50 %) in a third of its runs: the fit's mean lies
   * between the modes; the point moves onto the common one.
   */
  @Test
  void aComponentWithTwoModesIsPredictedAtTheCommonOne() {
    Random rnd = new Random(8);
    int n = 30;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = new double[] {Math.log(0.5 + rnd.nextDouble()), Math.log(4)};
      double warmUp = i % 3 == 0 ? Math.log(1.5) : 0;
      y[i] = 0.9 * x[i][0] + warmUp + 0.03 * rnd.nextGaussian();
    }
    ForecastTrainer.RawFit fit = ForecastTrainer.fitScalingModel(x, y);
    double shift = fit.model().pointShift();
    // The mean sits a third of ln 1.5 above the common mode.
    assertEquals(-Math.log(1.5) / 3, shift, 0.03, "shift");
    double before = 0;
    double after = 0;
    for (int i = 0; i < n; i++) {
      double f = fit.model().predict(x[i]);
      before += Math.abs(Math.exp(f - y[i]) - 1) / n;
      after += Math.abs(Math.exp(f + shift - y[i]) - 1) / n;
    }
    assertTrue(after < 0.8 * before, "mean relative error " + after + " against " + before);
  }

  @Test
  void logNormalNoiseHardlyMovesThePoint() {
    Random rnd = new Random(6);
    double[] r = new double[400];
    for (int i = 0; i < r.length; i++) {
      r[i] = 0.1 * rnd.nextGaussian();
    }
    // For log-normal noise of sd s the least relative error is about s^2 below the median.
    assertEquals(-0.01, ForecastTrainer.relativeErrorShift(r), 0.02);
  }

  @Test
  void fewRunsDoNotMoveThePoint() {
    double[][] x = {{0, 0}, {0.5, 0}, {1, 0}, {1.5, 0}, {2, 0}};
    double[] y = {0, 0.9, 0.8, 1.7, 1.6};
    assertEquals(0.0, ForecastTrainer.fitScalingModel(x, y).model().pointShift(), 0.0);
  }
}
