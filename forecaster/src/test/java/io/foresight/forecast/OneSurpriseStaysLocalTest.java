package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.ForecastModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A component whose runs all agreed (a stage that never spilled: its spread is the floor) and that
 * then misses far in one held-out run gives a calibrated quantile of hundreds of its own spreads.
 * Applied to a component with a wider spread, that quantile once gave a spill bound of millions of
 * times the point, which the planner turned into executors of the largest size allowed: a profile
 * no executor of a small cluster could host, so its stage never started. No bound may be wider than
 * the largest miss the calibration saw (scaled by the run's leverage).
 */
class OneSurpriseStaysLocalTest {
  @TempDir Path scratch;

  @Test
  void aQuietComponentsSurpriseDoesNotWidenANoisyOnesBoundWithoutLimit() {
    Random rnd = new Random(21);
    List<AppRun> runs = new ArrayList<>();
    List<AppRun> plain = SyntheticRuns.job("spilly", 24, 31);
    double largestAggSpillGib = 0;
    for (int i = 0; i < plain.size(); i++) {
      // "agg" spills about 30 MiB every run, with 30 % log noise; the others never spill...
      long agg = (long) (30 * Math.exp(0.3 * rnd.nextGaussian()) * (1 << 20));
      largestAggSpillGib = Math.max(largestAggSpillGib, agg / AppRun.GIB);
      AppRun r = SyntheticRuns.withSpill(plain.get(i), "agg", agg);
      // ...but "dim" spills 40 MiB once, in the newest run (held out for calibration).
      runs.add(i == plain.size() - 1 ? SyntheticRuns.withSpill(r, "dim", 40L << 20) : r);
    }
    // a small global model: the component models' bounds are tested
    ForecastModel model = LocalTraining.trainSmallGlobal(scratch, runs, 0.25);
    DemandForecast f =
        DemandForecaster.of(model).forecast(DemandRequest.of("spilly").withInputGib(2.0));
    Target t = Target.SPILL_GIB;
    double worstMissLog = t.toLog(40.0 / 1024) - t.toLog(0);
    for (StageForecast s : f.stages()) {
      Estimate spill = s.get(t);
      assertTrue(spill.present(), s.signature() + ": " + spill);
      double widthLog = t.toLog(spill.upper()) - t.toLog(spill.point());
      // The leverage of an input inside the fitted range adds well under 50 %.
      assertTrue(
          widthLog <= 1.5 * worstMissLog,
          s.signature()
              + ": spill bound "
              + spill.upper()
              + " GiB over a point of "
              + spill.point()
              + " GiB is wider than the largest miss calibrated, "
              + Math.exp(worstMissLog)
              + "x");
    }
    Estimate agg =
        f.stages().stream()
            .filter(s -> s.signature().endsWith("agg"))
            .findFirst()
            .orElseThrow()
            .get(Target.SPILL_GIB);
    assertTrue(
        agg.upper() >= largestAggSpillGib * 0.8, "agg's bound still covers its runs: " + agg);
  }
}
