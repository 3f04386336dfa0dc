package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.Calibration;
import io.foresight.forecast.model.ForecastModel;
import io.foresight.forecast.model.LinearModel;
import io.foresight.forecast.model.ScalingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Components whose runs all had the same value: a stage that never spills, a shuffle of a fixed
 * table, an aggregation whose execution memory is the same pages every run. Their bounds must cover
 * that value, and their runs must not narrow the bounds of the components that vary.
 */
class ExactComponentsTest {
  @TempDir Path scratch;

  private static final double LEVEL = 0.95;

  @Test
  void anUpperBoundIsNeverBelowAValueEveryRunHad() {
    int roundTripBelow = 0;
    for (Target t : new Target[] {Target.PEAK_EXECUTION_MEMORY_GIB, Target.EXECUTOR_SECONDS}) {
      boolean gib = t.unit().equals("GiB");
      double perUnit = gib ? AppRun.GIB : 1000.0;
      for (long k = 1; k <= 200_000; k++) {
        long units = gib ? k * 4096 + k % 7 : k; // bytes up to 0.8 GiB, milliseconds up to 200 s
        double value = units / perUnit; // as ComponentRun makes a label
        double log = t.toLog(value);
        roundTripBelow += t.fromLog(log) < value ? 1 : 0;
        double upper = t.upperFromLog(log);
        assertTrue(upper >= value, t + ": bound " + upper + " below the value " + value);
        assertTrue(
            upper * perUnit < units + 1 - 1e-6, t + ": bound " + upper + " a unit above " + value);
      }
    }
    // What the rounding is for: the plain round trip loses the last place for many values.
    assertTrue(roundTripBelow > 1000, "round trips below the value: " + roundTripBelow);
  }

  @Test
  void aBoundOfZeroIsPositiveZeroAndNaNPassesThrough() {
    for (Target t : Target.values()) {
      double upper = t.upperFromLog(t.toLog(0));
      assertEquals(0L, Double.doubleToRawLongBits(upper), t + ": " + upper + " is not +0.0");
      assertEquals("0.000", String.format(java.util.Locale.ROOT, "%.3f", upper));
      assertTrue(Double.isNaN(t.upperFromLog(Double.NaN)), t.toString());
    }
  }

  @Test
  void anExactComponentsBoundStaysAtItsValueWhenTheOthersQuantileIsNegative() {
    ScalingModel exact =
        ForecastTrainer.withPooledSpread(
                Map.of(
                    "c",
                    ForecastTrainer.fitScalingModel(
                        new double[][] {{0, 1}, {1, 1}, {2, 1}, {3, 1}},
                        new double[] {-3, -3, -3, -3})))
            .get("c");
    assertTrue(exact.exact());
    Calibration negative = new Calibration(40, -0.5, 0.6, 0.2);
    assertEquals(0.0, negative.componentOffset(exact, new double[] {1.5, 1}), 0.0);
    ScalingModel varying = exact.withResidualSd(0.2);
    ScalingModel noisy =
        new ScalingModel(
            new LinearModel(-3, new double[] {0.1, 0}), -3.2, -2.6, 0, 3, 4, 0.2, null, null, 0);
    assertTrue(varying.exact(), "the labels, not the spread, make a component exact");
    assertTrue(!noisy.exact());
    assertTrue(negative.componentOffset(noisy, new double[] {1.5, 1}) < 0);
  }

  /**
   * Six exact components and four that vary (log sd 0.2): calibrated on all held-out runs, the
   * zeros of the exact ones put the quantile at about the varying ones' 90th percentile, and their
   * bounds cover less than their due. Left out, the varying ones get their 95 %.
   */
  @Test
  void exactComponentsDoNotLowerTheQuantileOfTheOthers() {
    double[] c = meanCoverage(4, 17);
    // 32 varying scores: the largest is the quantile, 32/33 = 0.97 on average.
    assertTrue(c[1] >= 0.94 && c[1] <= 0.99, "varying, exact runs left out: " + c[1]);
    // 80 scores, 48 of them zero: the 77th of 80 is about the 29th of the 32 varying, 0.88-0.91.
    assertTrue(c[0] <= 0.92, "varying, exact runs kept: " + c[0]);
  }

  /**
   * Six exact components and two that vary: 16 varying scores are too few for a finite 95 %
   * quantile, so the calibration takes their largest (16/17 = 0.94 on average), not the pool's
   * quantile (the 62nd of 64: the 14th of the 16, about 0.82).
   */
  @Test
  void tooFewVaryingRunsTakeTheLargestOfTheirScores() {
    double[] residuals = new double[64];
    double[] widths = new double[64];
    boolean[] exactHits = new boolean[64];
    for (int i = 0; i < 64; i++) {
      exactHits[i] = i >= 16;
      residuals[i] = exactHits[i] ? 0 : (i - 8) * 0.05; // scores -0.4 .. 0.35 over width 0.5
      widths[i] = 0.5;
    }
    Calibration pool = Conformal.calibrateNormalised(residuals, widths, LEVEL);
    Calibration cal = ForecastTrainer.componentCalibration(residuals, widths, exactHits, LEVEL);
    assertEquals(0.5, pool.quantileLog(), 1e-12, "the pool's 62nd of 64: the 14th of the 16");
    assertEquals(0.7, cal.quantileLog(), 1e-12, "the largest varying score");
    assertEquals(64, cal.n());
    double[] c = meanCoverage(2, 19);
    assertTrue(c[1] >= 0.91 && c[1] <= 0.97, "varying, largest score: " + c[1]);
    assertTrue(c[0] <= 0.86, "varying, pool's quantile: " + c[0]);
  }

  /**
   * The varying components' mean coverage over 200 trials, with the exact hits kept in the pool and
   * with {@link ForecastTrainer#componentCalibration}; asserts that no exact component's run was
   * ever above its bound.
   */
  private static double[] meanCoverage(int varying, long seed) {
    Random rnd = new Random(seed);
    int trials = 200;
    double[] mean = new double[2];
    int exactMisses = 0;
    for (int trial = 0; trial < trials; trial++) {
      double[] a = new double[EXACT + varying];
      for (int c = 0; c < a.length; c++) {
        a[c] = rnd.nextGaussian();
      }
      double[] covered = coverage(a, rnd);
      mean[0] += covered[0] / trials;
      mean[1] += covered[1] / trials;
      exactMisses += (int) covered[2];
    }
    assertEquals(0, exactMisses, "runs of exact components above their bound");
    return mean;
  }

  /** The number of exact components; those after them vary. */
  private static final int EXACT = 6;

  /**
   * Fits the components on 24 runs, calibrates on the next 8 with and without the exact hits,
   * refits on all 32, then bounds 100 fresh runs of each: the varying ones' coverage with the exact
   * hits kept, with {@link ForecastTrainer#componentCalibration}, and how many of the exact ones'
   * runs their bound missed.
   */
  private static double[] coverage(double[] a, Random rnd) {
    int train = 24;
    int n = train + 8;
    int components = a.length;
    double[][][] x = new double[components][n][];
    double[][] y = new double[components][n];
    for (int c = 0; c < components; c++) {
      for (int i = 0; i < n; i++) {
        x[c][i] = new double[] {rnd.nextDouble() * 2 - 1, Math.log(2)};
        y[c][i] = draw(a[c], c, x[c][i][0], rnd);
      }
    }
    Map<String, ScalingModel> older = fit(x, y, train);
    int held = components * (n - train);
    double[] residuals = new double[held];
    double[] widths = new double[held];
    boolean[] exactHits = new boolean[held];
    for (int c = 0, k = 0; c < components; c++) {
      ScalingModel m = older.get("c" + c);
      for (int i = train; i < n; i++, k++) {
        residuals[k] = y[c][i] - m.predict(x[c][i]);
        widths[k] = m.width(x[c][i]);
        exactHits[k] = ForecastTrainer.exactHit(m, residuals[k]);
      }
    }
    assertEquals(EXACT * (n - train), countTrue(exactHits), "the exact components' held-out runs");
    Calibration kept = Conformal.calibrateNormalised(residuals, widths, LEVEL);
    Calibration leftOut = ForecastTrainer.componentCalibration(residuals, widths, exactHits, LEVEL);
    Map<String, ScalingModel> all = fit(x, y, n);
    int fresh = 100;
    double[] covered = new double[3];
    double share = 1.0 / ((components - EXACT) * fresh);
    for (int c = 0; c < components; c++) {
      ScalingModel m = all.get("c" + c);
      for (int i = 0; i < fresh; i++) {
        double[] xi = {rnd.nextDouble() * 2 - 1, Math.log(2)};
        double actual = draw(a[c], c, xi[0], rnd);
        if (c < EXACT) {
          Target t = Target.PEAK_EXECUTION_MEMORY_GIB;
          double upper = t.upperFromLog(m.predict(xi) + leftOut.componentOffset(m, xi));
          covered[2] += upper >= t.fromLog(actual) ? 0 : 1;
        } else {
          covered[0] += actual <= m.predict(xi) + kept.componentOffset(m, xi) ? share : 0;
          covered[1] += actual <= m.predict(xi) + leftOut.componentOffset(m, xi) ? share : 0;
        }
      }
    }
    return covered;
  }

  /** The exact components always do {@code a}; the others follow {@code a + 0.5 x}, log sd 0.2. */
  private static double draw(double a, int c, double x, Random rnd) {
    return c < EXACT ? a : a + 0.5 * x + 0.2 * rnd.nextGaussian();
  }

  private static Map<String, ScalingModel> fit(double[][][] x, double[][] y, int runs) {
    Map<String, ForecastTrainer.RawFit> fits = new HashMap<>();
    for (int c = 0; c < x.length; c++) {
      fits.put(
          "c" + c,
          ForecastTrainer.fitScalingModel(Arrays.copyOf(x[c], runs), Arrays.copyOf(y[c], runs)));
    }
    return ForecastTrainer.withPooledSpread(fits);
  }

  private static int countTrue(boolean[] xs) {
    int n = 0;
    for (boolean b : xs) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /**
   * Through the trainer: three stages never spill and one spills with 30 % noise. The spill
   * calibration counts only the spilling stage's held-out runs, and the never-spilling stages keep
   * a bound of about nothing.
   */
  @Test
  void theTrainerCalibratesOnTheRunsThatVary() {
    Random rnd = new Random(23);
    List<AppRun> runs = new ArrayList<>();
    for (AppRun r : SyntheticRuns.job("steady", 40, 29)) {
      long agg = (long) (30 * Math.exp(0.3 * rnd.nextGaussian()) * (1 << 20));
      runs.add(SyntheticRuns.withSpill(r, "agg", agg));
    }
    ForecastModel model = LocalTraining.trainSmallGlobal(scratch, runs, 0.5);
    // Half of the 40 runs are held out; each stage has had at least 3 runs by then.
    Calibration spill = model.target(Target.SPILL_GIB).componentCalibration();
    assertEquals(20, spill.n(), "the spilling stage's 20 held-out runs, not 80");
    assertTrue(spill.usable());
    DemandForecast f =
        DemandForecaster.of(model).forecast(DemandRequest.of("steady").withInputGib(2.0));
    for (StageForecast s : f.stages()) {
      Estimate e = s.get(Target.SPILL_GIB);
      if (s.signature().endsWith("agg")) {
        assertTrue(e.upper() > 1.2 * e.point(), "the spilling stage's bound: " + e);
      } else {
        // Zero, and the others' quantile times its own small spread: under a MiB.
        assertTrue(
            e.upper() >= 0 && e.upper() < 1.0 / 1024, s.signature() + " never spilled: " + e);
      }
    }
  }
}
