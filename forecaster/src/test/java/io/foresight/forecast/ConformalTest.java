package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.Calibration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConformalTest {
  /**
   * Residuals drawn from a known skewed distribution (log-normal minus 1): over many calibrations,
   * the bound's coverage of fresh draws must average ceil((n + 1) level) / (n + 1), the exact
   * split-conformal value, and never fall below the nominal level on average.
   */
  @Test
  void boundsReachNominalCoverageOnAKnownDistribution() {
    Random rnd = new Random(7);
    int n = 99;
    double level = 0.95;
    int trials = 400;
    int fresh = 2000;
    double coverageSum = 0;
    for (int t = 0; t < trials; t++) {
      double[] residuals = new double[n];
      for (int i = 0; i < n; i++) {
        residuals[i] = Math.exp(0.8 * rnd.nextGaussian()) - 1;
      }
      Calibration c = Conformal.calibrate(residuals, level);
      int covered = 0;
      for (int i = 0; i < fresh; i++) {
        if (Math.exp(0.8 * rnd.nextGaussian()) - 1 <= c.quantileLog()) {
          covered++;
        }
      }
      coverageSum += covered / (double) fresh;
    }
    double mean = coverageSum / trials;
    double exact = Math.ceil((n + 1) * level) / (n + 1);
    assertEquals(exact, mean, 0.005, "mean coverage");
    assertTrue(mean >= level - 0.005, "coverage " + mean + " below nominal " + level);
  }

  @Test
  void tooFewResidualsGiveNoBound() {
    assertEquals(19, Conformal.minimumResiduals(0.95));
    Calibration few = Conformal.calibrate(new double[18], 0.95);
    assertFalse(few.usable());
    assertTrue(Conformal.calibrate(new double[19], 0.95).usable());
    assertFalse(Conformal.calibrate(new double[0], 0.95).usable());
    assertThrows(IllegalArgumentException.class, () -> Conformal.calibrate(new double[3], 1.0));
  }
}
