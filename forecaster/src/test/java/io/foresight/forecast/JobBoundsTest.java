package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.JobCalibration;
import io.foresight.forecast.model.ScalingModel;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The conformal bounds of job-level totals ({@link ForecastTrainer#calibrateJobs}): each job's
 * recent runs scored by fits on the runs before them, on jobs whose log totals follow known laws
 * with normal noise.
 */
class JobBoundsTest {
  private static final double LEVEL = 0.95;
  private static final int MIN_RUNS = 3;

  /** Runs of the jobs and the bounds the trainer calibrated and would serve for them. */
  private record Trained(
      Map<String, LogLinearLaw> laws,
      Map<String, ScalingModel> models,
      Map<String, JobCalibration> cals) {}

  private static Trained train(
      Map<String, LogLinearLaw> laws, Map<String, Integer> runs, Random rnd) {
    Map<String, double[][]> xs = new TreeMap<>();
    Map<String, double[]> ys = new TreeMap<>();
    Map<String, ForecastTrainer.RawFit> fits = new HashMap<>();
    for (Map.Entry<String, LogLinearLaw> e : laws.entrySet()) {
      int n = runs.get(e.getKey());
      double[][] x = new double[n][];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = features(rnd);
        y[i] = e.getValue().draw(x[i][0], rnd);
      }
      xs.put(e.getKey(), x);
      ys.put(e.getKey(), y);
      fits.put(e.getKey(), ForecastTrainer.fitScalingModel(x, y));
    }
    Map<String, JobCalibration> cals =
        ForecastTrainer.calibrateJobs(
            xs, ys, ForecastTrainer.pooledVariance(fits.values()), LEVEL, MIN_RUNS);
    return new Trained(laws, ForecastTrainer.withPooledSpread(fits), cals);
  }

  /** Log input between ln(1) and ln(8) GiB; the executor shape does not change. */
  private static double[] features(Random rnd) {
    return new double[] {Math.log(1 + 7 * rnd.nextDouble()), Math.log(8)};
  }

  /** Share of {@code fresh} new runs of job {@code key} at or under the served bound. */
  private static double coverage(Trained t, String key, int fresh, Random rnd) {
    ScalingModel m = t.models().get(key);
    JobCalibration cal = t.cals().get(key);
    int covered = 0;
    for (int i = 0; i < fresh; i++) {
      double[] x = features(rnd);
      double upper = cal.upperLog(m, x, m.predict(x));
      covered += t.laws().get(key).draw(x[0], rnd) <= upper ? 1 : 0;
    }
    return covered / (double) fresh;
  }

  @Test
  void aJobWithEnoughRunsIsCalibratedOnItsOwnAtTheNominalCoverage() {
    Random rnd = new Random(1);
    int trials = 300;
    double coverage = 0;
    for (int t = 0; t < trials; t++) {
      LogLinearLaw law =
          new LogLinearLaw(3 + rnd.nextGaussian(), 0.6 + 0.4 * rnd.nextDouble(), 0.15);
      Trained trained = train(Map.of("etl", law), Map.of("etl", 45), rnd);
      JobCalibration cal = trained.cals().get("etl");
      assertTrue(cal.ownRuns(), "45 runs are enough for the job alone");
      assertEquals(42, cal.calibration().n(), "every run after the first three is scored");
      coverage += coverage(trained, "etl", 50, rnd) / trials;
    }
    // 42 scores: the bound is their second largest, ceil(43 * 0.95) = 41, so at least 41/43 =
    // 0.953 if the scores were exchangeable with a fresh run. The early fits' residuals are larger
    // than the final fit's, and dividing by their widths does not quite undo that: a little above.
    assertTrue(coverage >= LEVEL, "mean coverage " + coverage);
    assertTrue(coverage <= 0.995, "mean coverage " + coverage);
  }

  @Test
  void jobsWithFewRunsShareOneCalibrationAndStillCoverTheirRuns() {
    Random rnd = new Random(2);
    int trials = 100;
    double quiet = 0;
    double noisy = 0;
    for (int t = 0; t < trials; t++) {
      Map<String, LogLinearLaw> laws = new TreeMap<>();
      Map<String, Integer> runs = new TreeMap<>();
      for (int j = 0; j < 8; j++) {
        laws.put("job" + j, new LogLinearLaw(rnd.nextGaussian(), 0.8, j < 4 ? 0.05 : 0.3));
        runs.put("job" + j, 8);
      }
      Trained trained = train(laws, runs, rnd);
      for (String key : laws.keySet()) {
        JobCalibration cal = trained.cals().get(key);
        assertFalse(cal.ownRuns(), "5 scores are too few for one job: all 8 jobs' 40 are used");
        assertEquals(8, cal.jobs());
        assertEquals(40, cal.calibration().n());
      }
      for (int j = 0; j < 8; j++) {
        double c = coverage(trained, "job" + j, 50, rnd) / (4.0 * trials);
        if (j < 4) {
          quiet += c;
        } else {
          noisy += c;
        }
      }
    }
    // Over all jobs, the shared quantile keeps the level. Eight runs are too few to trust a job's
    // own spread, so each is shrunk towards all jobs' spread: the quiet jobs get more room than
    // they need and the noisy ones a little less, but neither is left far below the level.
    assertTrue((quiet + noisy) / 2 >= LEVEL - 0.01, "mean coverage " + (quiet + noisy) / 2);
    assertTrue(noisy >= 0.90, "noisy jobs' coverage " + noisy);
    assertTrue(quiet >= noisy, quiet + " " + noisy);
  }

  @Test
  void tooFewRunsInAllGiveNoCalibrationAndTheBoundComesFromTheStages() {
    Random rnd = new Random(3);
    Trained lone = train(Map.of("etl", new LogLinearLaw(2, 1, 0.1)), Map.of("etl", 40), rnd);
    assertEquals(
        Map.of(),
        lone.cals(),
        "37 scores would give a finite 95 % quantile, but it would be their largest: none");
    Trained two =
        train(
            Map.of("a", new LogLinearLaw(2, 1, 0.1), "b", new LogLinearLaw(1, 0.5, 0.1)),
            Map.of("a", 22, "b", 23),
            rnd);
    assertEquals(2, two.cals().get("a").jobs(), "19 + 20 scores together are enough");
    assertFalse(two.cals().get("a").ownRuns());
    assertEquals(39, two.cals().get("b").calibration().n());
    assertEquals("conformal over 39 runs of all 2 jobs", two.cals().get("a").describe());
    // a job with no score yet (its first runs) takes the others' calibration
    Trained young =
        train(
            Map.of("old", new LogLinearLaw(2, 1, 0.1), "new", new LogLinearLaw(1, 0.5, 0.1)),
            Map.of("old", 45, "new", 3),
            rnd);
    assertTrue(young.cals().get("old").ownRuns());
    assertEquals("conformal over 42 runs of another job", young.cals().get("new").describe());
    JobCalibration none = new JobCalibration(null, false, 0);
    assertTrue(Double.isNaN(none.upperLog(two.models().get("a"), features(rnd), 1.0)));
    assertEquals("", none.describe());
  }

  @Test
  void aJobCalibrationNeedsAScoreAboveItsQuantile() {
    assertEquals(39, ForecastTrainer.minimumJobScores(0.95));
    assertEquals(19, ForecastTrainer.minimumJobScores(0.90));
    assertEquals(9, ForecastTrainer.minimumJobScores(0.80));
    for (double level : new double[] {0.8, 0.9, 0.95, 0.99}) {
      int n = ForecastTrainer.minimumJobScores(level);
      assertTrue(Math.ceil((n + 1) * level) < n, level + ": the quantile is below the largest");
      assertTrue(Math.ceil(n * level) >= n - 1, level + ": and one score fewer would not be");
    }
  }

  @Test
  void onlyTheNewestRunsAreScored() {
    Random rnd = new Random(4);
    Trained t = train(Map.of("etl", new LogLinearLaw(2, 1, 0.1)), Map.of("etl", 200), rnd);
    assertEquals(
        ForecastTrainer.JOB_CALIBRATION_RUNS,
        t.cals().get("etl").calibration().n(),
        "a long history costs a bounded number of fits");
    assertEquals("conformal over 50 runs of this job", t.cals().get("etl").describe());
    double[] x = {Math.log(4), Math.log(8)};
    ScalingModel m = t.models().get("etl");
    double upper = t.cals().get("etl").upperLog(m, x, m.predict(x));
    assertTrue(upper > m.predict(x), "the bound lies above the point");
    assertTrue(
        upper < m.predict(x) + 5 * 0.1,
        "and within a few of the job's own spreads of it: " + (upper - m.predict(x)));
  }
}
