package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.Calibration;
import io.foresight.forecast.model.LinearModel;
import io.foresight.forecast.model.ScalingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The component models' bounds, as the trainer calibrates them (fit on older runs, held-out
 * residuals divided by each model's width, one quantile for all) and the forecaster applies them,
 * on components with known, different noise.
 */
class NormalisedConformalTest {
  private static final double LEVEL = 0.95;
  private static final int TRAIN_RUNS = 24;
  private static final int HELD_OUT_RUNS = 8;

  private record Outcome(
      double coverage, double quietCoverage, double noisyCoverage, double[] over) {}

  /**
   * Six quiet components (log sd 0.1) and six noisy ones (0.3): the calibrated bound covers fresh
   * runs at the nominal level on average, and it does so with a bound that follows each component's
   * own noise, so the median over-provision is far below that of one width for all.
   */
  @Test
  void boundsFollowEachComponentsNoiseAndKeepTheirCoverage() {
    Random rnd = new Random(5);
    int trials = 60;
    double coverage = 0;
    double quiet = 0;
    double noisy = 0;
    double pooledCoverage = 0;
    List<Double> normalisedOver = new ArrayList<>();
    List<Double> pooledOver = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      List<LogLinearLaw> laws = new ArrayList<>();
      for (int c = 0; c < 12; c++) {
        laws.add(
            new LogLinearLaw(rnd.nextGaussian(), 0.5 + 0.5 * rnd.nextDouble(), c < 6 ? 0.1 : 0.3));
      }
      Outcome normalised = run(laws, rnd, true);
      Outcome pooled = run(laws, rnd, false);
      coverage += normalised.coverage() / trials;
      quiet += normalised.quietCoverage() / trials;
      noisy += normalised.noisyCoverage() / trials;
      pooledCoverage += pooled.coverage() / trials;
      Arrays.stream(normalised.over()).forEach(normalisedOver::add);
      Arrays.stream(pooled.over()).forEach(pooledOver::add);
    }
    // Split conformal over 96 held-out scores: exact coverage ceil(97 * 0.95) / 97 = 0.948 on
    // average (ConformalTest), less a little because the served width comes from the model
    // refitted on all runs.
    assertTrue(coverage >= LEVEL - 0.01, "mean coverage " + coverage);
    assertTrue(coverage <= LEVEL + 0.02, "mean coverage " + coverage);
    // Each group gets near its due; one width for all would give the quiet ones ~100 % and the
    // noisy ones ~90 %.
    assertTrue(quiet >= 0.93 && quiet <= 0.995, "quiet components' coverage " + quiet);
    assertTrue(noisy >= 0.92 && noisy <= 0.98, "noisy components' coverage " + noisy);
    assertTrue(pooledCoverage >= LEVEL - 0.01, "pooled coverage " + pooledCoverage);
    double medianNormalised = median(normalisedOver);
    double medianPooled = median(pooledOver);
    assertTrue(
        medianNormalised < 0.75 * medianPooled,
        "median over-provision " + medianNormalised + " against one width's " + medianPooled);
  }

  /**
   * Trains the twelve components on {@code TRAIN_RUNS} runs, calibrates on the next {@code
   * HELD_OUT_RUNS}, refits on all, then bounds 200 fresh runs of each.
   */
  private static Outcome run(List<LogLinearLaw> laws, Random rnd, boolean normalised) {
    int n = TRAIN_RUNS + HELD_OUT_RUNS;
    double[][][] x = new double[laws.size()][n][];
    double[][] y = new double[laws.size()][n];
    for (int c = 0; c < laws.size(); c++) {
      for (int i = 0; i < n; i++) {
        x[c][i] = new double[] {rnd.nextDouble() * 2 - 1, Math.log(4)};
        y[c][i] = laws.get(c).draw(x[c][i][0], rnd);
      }
    }
    Map<String, ScalingModel> older = fit(x, y, TRAIN_RUNS, normalised);
    double[] residuals = new double[laws.size() * HELD_OUT_RUNS];
    double[] widths = new double[residuals.length];
    for (int c = 0; c < laws.size(); c++) {
      ScalingModel m = older.get("c" + c);
      for (int i = TRAIN_RUNS; i < n; i++) {
        int k = c * HELD_OUT_RUNS + i - TRAIN_RUNS;
        residuals[k] = y[c][i] - m.predict(x[c][i]);
        widths[k] = m.width(x[c][i]);
      }
    }
    Calibration cal = Conformal.calibrateNormalised(residuals, widths, LEVEL);
    Map<String, ScalingModel> all = fit(x, y, n, normalised);
    int[] covered = new int[2];
    int fresh = 200;
    double[] over = new double[laws.size() * fresh];
    for (int c = 0; c < laws.size(); c++) {
      ScalingModel m = all.get("c" + c);
      for (int i = 0; i < fresh; i++) {
        double[] xi = {rnd.nextDouble() * 2 - 1, Math.log(4)};
        double actual = laws.get(c).draw(xi[0], rnd);
        double upper = m.predict(xi) + cal.componentOffset(m, xi);
        covered[c < 6 ? 0 : 1] += actual <= upper ? 1 : 0;
        over[c * fresh + i] = Math.exp(upper - actual) - 1;
      }
    }
    double half = laws.size() / 2.0 * fresh;
    return new Outcome(
        (covered[0] + covered[1]) / (2 * half), covered[0] / half, covered[1] / half, over);
  }

  /** What the trainer fits on the first {@code runs} runs; without spreads when not normalised. */
  private static Map<String, ScalingModel> fit(
      double[][][] x, double[][] y, int runs, boolean normalised) {
    Map<String, ForecastTrainer.RawFit> fits = new HashMap<>();
    for (int c = 0; c < x.length; c++) {
      fits.put(
          "c" + c,
          ForecastTrainer.fitScalingModel(Arrays.copyOf(x[c], runs), Arrays.copyOf(y[c], runs)));
    }
    Map<String, ScalingModel> out = ForecastTrainer.withPooledSpread(fits);
    if (!normalised) {
      out.replaceAll((k, m) -> m.withResidualSd(0));
    }
    return out;
  }

  @Test
  void theWidthGrowsAwayFromTheFittedInputs() {
    double[][] x = new double[20][];
    double[] y = new double[20];
    Random rnd = new Random(3);
    for (int i = 0; i < 20; i++) {
      x[i] = new double[] {Math.log(1 + i / 10.0), Math.log(4)};
      y[i] = 0.8 * x[i][0] + 0.2 * rnd.nextGaussian();
    }
    ForecastTrainer.RawFit fit = ForecastTrainer.fitScalingModel(x, y);
    assertEquals(20 - 1 - 1, fit.dof(), "the slots do not vary: one fitted slope");
    ScalingModel m = ForecastTrainer.withPooledSpread(Map.of("c", fit)).get("c");
    double[] centre = m.meanX().clone();
    assertEquals(1.0 / 20, m.leverage(centre), 1e-12, "leverage at the mean is 1/n");
    double[] far = {centre[0] + 2, centre[1]};
    assertTrue(m.width(far) > 1.5 * m.width(centre), "a run at 7x the usual input is less sure");
    double[] otherSlots = {centre[0], Math.log(16)};
    assertEquals(
        m.width(centre), m.width(otherSlots), 1e-12, "a feature that never varied adds nothing");
    // Alone, the component's spread is its own, shrunk towards the pooled one, i.e. itself.
    assertEquals(Math.sqrt(fit.rss() / fit.dof()), m.residualSd(), 1e-12);
  }

  @Test
  void aSpreadIsShrunkTowardsAllComponentsSpread() {
    Random rnd = new Random(9);
    Map<String, ForecastTrainer.RawFit> fits = new HashMap<>();
    for (int c = 0; c < 10; c++) {
      int runs = c == 0 ? 3 : 30;
      double[][] x = new double[runs][];
      double[] y = new double[runs];
      for (int i = 0; i < runs; i++) {
        x[i] = new double[] {rnd.nextDouble(), 0};
        // component 0's three runs happen to lie on a line
        y[i] = x[i][0] + (c == 0 ? 0 : 0.2 * rnd.nextGaussian());
      }
      fits.put("c" + c, ForecastTrainer.fitScalingModel(x, y));
    }
    Map<String, ScalingModel> models = ForecastTrainer.withPooledSpread(fits);
    double lucky = models.get("c0").residualSd();
    double usual = models.get("c1").residualSd();
    assertTrue(lucky > 0.15, "three runs that agreed by chance still get a spread: " + lucky);
    assertTrue(Math.abs(usual - 0.2) < 0.06, "thirty runs keep close to their own: " + usual);
  }

  @Test
  void aModelWithoutASpreadHasUnitWidth() {
    ScalingModel old = new ScalingModel(new LinearModel(0, new double[] {1, 0}), 0, 1, 0, 1);
    assertEquals(1.0, old.width(new double[] {5, 0}), 0.0);
  }

  private static double median(List<Double> xs) {
    return ForecastTrainer.median(xs.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
