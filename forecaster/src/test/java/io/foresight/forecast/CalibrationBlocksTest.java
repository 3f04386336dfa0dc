package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.Calibration;
import io.foresight.forecast.model.ForecastModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component calibration scores two blocks of runs: the held-out runs, by models fitted on the
 * runs before them, and as many runs before those, by models fitted on the runs before that block.
 */
class CalibrationBlocksTest {
  @TempDir Path scratch;

  /**
   * 40 runs of a job of four stages whose work doubles from run 20 on. The held-out runs are 30-39;
   * the block before them, 20-29, is scored by models fitted on runs 0-19, which never saw the
   * step: their log residuals are about ln 2 = 0.69 (5 % noise). The held-out runs, scored by the
   * models of runs 0-29 (a third of them after the step), miss by about 0.46, and their largest of
   * 40 by about 0.57.
   */
  @Test
  void theBlockBeforeTheHeldOutRunsIsScoredByModelsOfTheRunsBeforeIt() {
    Random rnd = new Random(17);
    List<AppRun> runs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      runs.add(SyntheticRuns.run("step", i, 2.0, rnd, i < 20 ? 1.0 : 2.0));
    }
    ForecastModel model = LocalTraining.trainSmallGlobal(scratch, runs, 0.25);
    Calibration cal = model.target(Target.EXECUTOR_SECONDS).componentCalibration();
    assertEquals(80, cal.n(), "four stages in the ten held-out runs and in the ten before them");
    assertTrue(cal.usable());
    // The largest held-out miss: a run of the step, predicted by a model that never saw it.
    assertTrue(
        cal.maxLogResidual() > 0.63 && cal.maxLogResidual() < 0.9,
        "largest log residual about ln 2: " + cal.maxLogResidual());
  }

  /** Half the runs held out: nothing is left before the block before them, and it is not scored. */
  @Test
  void noBlockIsScoredWithoutRunsBeforeIt() {
    List<AppRun> runs = SyntheticRuns.job("half", 24, 9);
    ForecastModel model = LocalTraining.trainSmallGlobal(scratch, runs, 0.5);
    assertEquals(
        48, model.target(Target.EXECUTOR_SECONDS).componentCalibration().n(), "12 runs, 4 stages");
  }
}
