package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.JobTemplate;
import io.foresight.forecast.model.SeasonalModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rerun or backfill of a date is one step of a job's seasons, not two. */
class RerunStepsTest {
  private static List<AppRun> withRerunOf(List<AppRun> runs, int i) {
    AppRun r = runs.get(i);
    List<AppRun> out = new ArrayList<>(runs);
    // the rerun: the same scheduled time, another application, as HistoryReader orders them
    out.add(SyntheticRuns.copy(r, r.appId() + "-rerun", r.listedInputBytes()));
    out.sort(Comparator.comparingLong(AppRun::startMs).thenComparing(AppRun::appId));
    return out;
  }

  @Test
  void aRerunOfADateLeavesTheSeasonsInPhase() {
    List<AppRun> runs = SyntheticRuns.job("etl", 30, 5);
    JobTemplate once = JobTemplates.of("etl", runs, 12);
    JobTemplate rerun = JobTemplates.of("etl", withRerunOf(runs, 10), 12);
    assertEquals(31, rerun.runs(), "the rerun is a run the job's other models learn from");
    assertEquals(6, once.volumeModel().period(), "the planted season");
    for (int h = 1; h <= 6; h++) {
      assertEquals(
          once.volumeModel().forecast(h, 0.95).point(),
          rerun.volumeModel().forecast(h, 0.95).point(),
          1e-12,
          "step " + h);
      assertEquals(
          once.intervalModel().forecast(h, 0.95).point(),
          rerun.intervalModel().forecast(h, 0.95).point(),
          1e-12,
          "step " + h);
    }
    // counted as a step of its own, the rerun puts the runs before it out of phase with those
    // after: the fit is worse, and its bounds wider
    List<AppRun> all = withRerunOf(runs, 10);
    double[] counted = all.stream().mapToDouble(r -> Features.logInput(r.inputGib())).toArray();
    SeasonalModel naive = ForecastTrainer.seasonal(counted, 12);
    assertTrue(
        naive.residualStd() > 2 * once.volumeModel().residualStd(),
        naive + " against " + once.volumeModel());
    assertTrue(
        naive.forecast(1, 0.95).upper() - naive.forecast(1, 0.95).point()
            > 2
                * (once.volumeModel().forecast(1, 0.95).upper()
                    - once.volumeModel().forecast(1, 0.95).point()));
  }
}
