package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.Calibration;
import io.foresight.forecast.model.ForecastModel;
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
 * Held-out runs whose input lay outside the volumes their model was fitted on (a volume spike) are
 * calibrated apart: their misses widen the bounds of later spikes, not those of every run inside
 * the volumes seen.
 */
class ExtrapolatedRunsTest {
  @TempDir Path scratch;

  private static final double LEVEL = 0.95;

  /**
   * 40 runs inside with scores -0.975 .. 0.975 over a width of 0.1, and 3 outside with scores of
   * 20-30: the quantile is the 39th of the 40 inside ({@code ceil(41 * 0.95)}), where all 43 pooled
   * would put it at the 41st, one of the three misses outside.
   */
  @Test
  void theQuantileIsTakenOverTheRunsInside() {
    int inside = 40;
    double[] residuals = new double[inside + 3];
    double[] widths = new double[residuals.length];
    boolean[] outside = new boolean[residuals.length];
    Arrays.fill(widths, 0.1);
    for (int i = 0; i < inside; i++) {
      residuals[i] = (-0.975 + 0.05 * i) * 0.1;
    }
    for (int i = 0; i < 3; i++) {
      residuals[inside + i] = (20 + 5 * i) * 0.1;
      outside[inside + i] = true;
    }
    boolean[] noExact = new boolean[residuals.length];
    Calibration pooled = Conformal.calibrateNormalised(residuals, widths, LEVEL);
    Calibration cal =
        ForecastTrainer.componentCalibration(residuals, widths, noExact, outside, LEVEL);
    assertEquals(25.0, pooled.quantileLog(), 1e-9, "pooled: the 42nd of 43, a miss outside");
    assertEquals(0.925, cal.quantileLog(), 1e-9, "the 39th of the 40 inside");
    assertEquals(40, cal.n());
    assertEquals(0.0975, cal.maxLogResidual(), 1e-12, "the largest residual inside");
    assertEquals(3, cal.extrapolatedN());
    assertEquals(30.0, cal.extrapolatedQuantileLog(), 1e-9, "the largest score outside");
    assertEquals(3.0, cal.extrapolatedMaxLogResidual(), 1e-12, "the largest residual of all");

    // No run outside: the calibration of all runs, as before.
    Calibration none =
        ForecastTrainer.componentCalibration(
            residuals, widths, noExact, new boolean[residuals.length], LEVEL);
    assertEquals(pooled, none);
    assertEquals(0, none.extrapolatedN());

    // Too few inside for a finite quantile (18 < 19): all runs are pooled, and a prediction outside
    // still gets at least the largest score outside.
    double[] r = Arrays.copyOfRange(residuals, 22, residuals.length);
    double[] w = Arrays.copyOfRange(widths, 22, residuals.length);
    boolean[] o = Arrays.copyOfRange(outside, 22, residuals.length);
    Calibration few = ForecastTrainer.componentCalibration(r, w, new boolean[r.length], o, LEVEL);
    assertEquals(Conformal.calibrateNormalised(r, w, LEVEL).quantileLog(), few.quantileLog());
    assertEquals(21, few.n());
    assertEquals(30.0, few.extrapolatedQuantileLog(), 1e-9);
  }

  /**
   * Exact hits outside are hits all the same: they neither count as outside nor move a quantile.
   */
  @Test
  void anExactHitOutsideIsNotAMiss() {
    double[] residuals = new double[30];
    double[] widths = new double[30];
    boolean[] exact = new boolean[30];
    boolean[] outside = new boolean[30];
    Arrays.fill(widths, 0.2);
    for (int i = 0; i < 30; i++) {
      residuals[i] = i < 25 ? (i - 12) * 0.01 : 0;
      exact[i] = i >= 25;
      outside[i] = i >= 25;
    }
    Calibration cal =
        ForecastTrainer.componentCalibration(residuals, widths, exact, outside, LEVEL);
    assertEquals(0, cal.extrapolatedN());
    assertEquals(ForecastTrainer.calibrateExactApart(residuals, widths, exact, LEVEL), cal);
  }

  /** A prediction outside its model's volumes uses the values kept apart; one inside does not. */
  @Test
  void onlyAPredictionOutsideTheVolumesSeenUsesTheValuesKeptApart() {
    ScalingModel m = fitLine(new double[] {-1, -0.5, 0, 0.5, 1}, 0.5, 0.1, new Random(3));
    assertFalse(m.extrapolates(new double[] {1.0, Math.log(2)}));
    assertFalse(m.extrapolates(new double[] {-1.0, Math.log(2)}));
    assertFalse(m.extrapolates(new double[] {1.2, Math.log(2)}), "a little past the largest");
    assertFalse(m.extrapolates(new double[] {-1.2, Math.log(2)}));
    assertTrue(m.extrapolates(new double[] {1.3, Math.log(2)}), "a third above the largest");
    assertTrue(m.extrapolates(new double[] {-1.3, Math.log(2)}));
    Calibration plain = new Calibration(40, 1.5, 0.8, 2.0);
    Calibration apart = plain.withExtrapolated(2, 9.0, 3.0);
    double[] in = {0.3, Math.log(2)};
    double[] out = {1.4, Math.log(2)};
    assertEquals(plain.componentOffset(m, in), apart.componentOffset(m, in), 0.0);
    assertEquals(1.5 * m.width(out), plain.componentOffset(m, out), 1e-12);
    assertEquals(
        Math.min(9.0 * m.width(out), 3.0 * m.leverageFactor(out)),
        apart.componentOffset(m, out),
        1e-12);
    assertTrue(apart.componentOffset(m, out) > plain.componentOffset(m, out));
    // Kept apart, the values outside are never below those inside.
    Calibration lower = plain.withExtrapolated(1, 0.5, 0.1);
    assertEquals(1.5, lower.extrapolatedQuantileLog(), 0.0);
    assertEquals(2.0, lower.extrapolatedMaxLogResidual(), 0.0);
    assertEquals(plain, plain.withExtrapolated(0, 9.0, 3.0));
  }

  /** The values kept apart survive the model file; a file written before has none. */
  @Test
  void theValuesKeptApartAreWrittenAndReadBack() throws Exception {
    Calibration apart = new Calibration(40, 1.5, 0.8, 2.0).withExtrapolated(2, 9.0, 3.0);
    byte[] json = ModelStore.json().writeValueAsBytes(apart);
    assertEquals(apart, ModelJson.read(json, Calibration.class));
    byte[] before =
        "{\"n\":40,\"quantileLog\":1.5,\"meanAbsLogError\":0.8,\"maxLogResidual\":2.0}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Calibration old = ModelJson.read(before, Calibration.class);
    assertEquals(0, old.extrapolatedN());
    ScalingModel m = fitLine(new double[] {-1, -0.5, 0, 0.5, 1}, 0.5, 0.1, new Random(3));
    double[] out = {1.4, Math.log(2)};
    assertEquals(1.5 * m.width(out), old.componentOffset(m, out), 1e-12);
  }

  /**
   * Ten components follow {@code a + 0.5 x} with log sd 0.1 up to {@code x = 1}, and grow by 1.0
   * more per unit past it (a memory that steps up past a size). They are fitted on 24 runs in
   * {@code [-1, 1]}, calibrated on the next 8, of which one, the same run for all, is a spike at
   * {@code x = 1.7}, refitted on all 32 and then bound 100 fresh runs inside and a spike at {@code
   * x = 2.2}.
   *
   * <p>Pooled, the ten spike misses (about 7 spreads each) are 10 of the 80 scores, the quantile
   * (the 77th) is one of them, and the bounds of the fresh runs inside are about as wide as the
   * spike's miss. Apart, they get the quantile of the 70 runs inside, and the next spike a bound no
   * narrower than the pooled one. (Over the 100 trials: pooled, coverage inside 100 % at a median
   * offset of 0.92 log units; apart, 98.5 % at 0.24.)
   */
  @Test
  void aSpikesMissWidensTheNextSpikeNotTheRunsInside() {
    Random rnd = new Random(41);
    int trials = 100;
    double[] pooledInside = new double[2]; // coverage, median offset
    double[] apartInside = new double[2];
    int spikesNoNarrower = 0;
    for (int trial = 0; trial < trials; trial++) {
      double[][] r = trial(rnd);
      pooledInside[0] += r[0][0] / trials;
      pooledInside[1] += r[0][1] / trials;
      apartInside[0] += r[1][0] / trials;
      apartInside[1] += r[1][1] / trials;
      spikesNoNarrower += r[1][2] >= r[0][2] ? 1 : 0;
    }
    assertTrue(
        apartInside[0] >= 0.93 && apartInside[0] <= 0.99,
        "coverage inside, calibrated apart: " + apartInside[0]);
    assertTrue(
        apartInside[1] < 0.6 * pooledInside[1],
        "median offset inside: apart " + apartInside[1] + ", pooled " + pooledInside[1]);
    assertTrue(pooledInside[0] > 0.99, "pooled, the runs inside are over-covered");
    assertEquals(trials, spikesNoNarrower, "trials whose next spike got a bound no narrower");
  }

  private static final int COMPONENTS = 10;

  /**
   * For the pooled and the apart calibration: coverage inside, median offset inside, the smallest
   * offset of the ten components at the next spike.
   */
  private static double[][] trial(Random rnd) {
    int train = 24;
    int n = train + 8;
    int spikeRun = train + 5;
    double[] a = new double[COMPONENTS];
    double[][][] x = new double[COMPONENTS][n][];
    double[][] y = new double[COMPONENTS][n];
    for (int c = 0; c < COMPONENTS; c++) {
      a[c] = rnd.nextGaussian();
      for (int i = 0; i < n; i++) {
        double v = i == spikeRun ? 1.7 : rnd.nextDouble() * 2 - 1;
        x[c][i] = new double[] {v, Math.log(2)};
        y[c][i] = draw(a[c], v, rnd);
      }
    }
    Map<String, ScalingModel> older = fit(x, y, train);
    int held = COMPONENTS * (n - train);
    double[] residuals = new double[held];
    double[] widths = new double[held];
    boolean[] exact = new boolean[held];
    boolean[] outside = new boolean[held];
    for (int c = 0, k = 0; c < COMPONENTS; c++) {
      ScalingModel m = older.get("c" + c);
      for (int i = train; i < n; i++, k++) {
        residuals[k] = y[c][i] - m.predict(x[c][i]);
        widths[k] = m.width(x[c][i]);
        outside[k] = m.extrapolates(x[c][i]);
      }
    }
    for (int c = 0; c < COMPONENTS; c++) {
      assertTrue(outside[c * (n - train) + spikeRun - train], "component " + c + "'s spike run");
    }
    Calibration pooled = Conformal.calibrateNormalised(residuals, widths, LEVEL);
    Calibration apart =
        ForecastTrainer.componentCalibration(residuals, widths, exact, outside, LEVEL);
    Map<String, ScalingModel> all = fit(x, y, n);
    int fresh = 100;
    double[][] out = new double[2][3];
    Calibration[] cals = {pooled, apart};
    for (int k = 0; k < 2; k++) {
      double[] offsets = new double[COMPONENTS * fresh];
      double covered = 0;
      double spikeOffset = Double.POSITIVE_INFINITY;
      Random draws = new Random(rnd.nextLong());
      for (int c = 0; c < COMPONENTS; c++) {
        ScalingModel m = all.get("c" + c);
        for (int i = 0; i < fresh; i++) {
          double[] xi = {draws.nextDouble() * 2 - 1, Math.log(2)};
          double offset = cals[k].componentOffset(m, xi);
          offsets[c * fresh + i] = offset;
          covered += draw(a[c], xi[0], draws) <= m.predict(xi) + offset ? 1 : 0;
        }
        double[] spike = {2.2, Math.log(2)};
        assertTrue(m.extrapolates(spike));
        spikeOffset = Math.min(spikeOffset, cals[k].componentOffset(m, spike));
      }
      Arrays.sort(offsets);
      out[k][0] = covered / offsets.length;
      out[k][1] = offsets[offsets.length / 2];
      out[k][2] = spikeOffset;
    }
    return out;
  }

  /** {@code a + 0.5 x}, plus {@code x - 1} past 1, with log sd 0.1. */
  private static double draw(double a, double x, Random rnd) {
    return a + 0.5 * x + Math.max(0, x - 1) + 0.1 * rnd.nextGaussian();
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

  private static ScalingModel fitLine(double[] xs, double slope, double sd, Random rnd) {
    double[][] x = new double[xs.length][];
    double[] y = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      x[i] = new double[] {xs[i], Math.log(2)};
      y[i] = slope * xs[i] + sd * rnd.nextGaussian();
    }
    return ForecastTrainer.withPooledSpread(Map.of("c", ForecastTrainer.fitScalingModel(x, y)))
        .get("c");
  }

  /**
   * Through the trainer: 40 runs at 1-3 GiB, of which the 36th, held out, read 9 GiB. Each of the
   * job's four stages has that one held-out run outside the volumes its calibration model was
   * fitted on, and the other 36 held-out stage runs are inside.
   */
  @Test
  void theTrainerKeepsTheHeldOutRunsOutsideTheVolumesApart() {
    Random rnd = new Random(5);
    double[] cycle = {1.0, 1.5, 2.0, 2.5, 3.0};
    double[] heldOut = {1.2, 1.8, 2.2, 2.8, 1.6, 9.0, 2.4, 1.4, 2.6, 2.0};
    List<AppRun> runs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double gib = i < 30 ? cycle[i % cycle.length] : heldOut[i - 30];
      runs.add(SyntheticRuns.run("spiky", i, gib, rnd, 1.0));
    }
    ForecastModel model =
        LocalTraining.train(
            scratch, runs, new ForecastTrainer.Options(0.95, 3, 0.25, 3, 2, 48, 42L));
    Calibration cal = model.target(Target.EXECUTOR_SECONDS).componentCalibration();
    assertEquals(4, cal.extrapolatedN(), "the 9 GiB run's four stages");
    assertEquals(36, cal.n(), "the other nine held-out runs' stages");
    assertTrue(cal.usable());
    assertTrue(cal.extrapolatedQuantileLog() >= cal.quantileLog());
  }
}
