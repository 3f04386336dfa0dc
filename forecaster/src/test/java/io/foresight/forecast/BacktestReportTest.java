package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.Backtest.Report;
import io.foresight.forecast.Backtest.RunResult;
import io.foresight.forecast.Backtest.StageResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestReportTest {
  private static StageResult stage(
      double secondsPredicted,
      double secondsActual,
      double heapUpper,
      double heap,
      double execUpper,
      double exec) {
    return new StageResult(
        "app",
        "sig",
        "HIGH",
        secondsPredicted,
        secondsActual,
        secondsActual,
        heapUpper,
        heap,
        execUpper,
        exec,
        heapUpper / 2,
        heap / 2,
        execUpper,
        execUpper * 2,
        exec,
        heapUpper,
        heap);
  }

  @Test
  void memoryBoundsCountOnlyStagesWithABoundAndAMeasuredUse() {
    Report r =
        new Report(
            List.of(),
            List.of(
                stage(1.1, 1.0, 2.0, 1.0, 0.5, 0.4), // heap +100 %, exec +25 %, both covered
                stage(0.9, 1.0, 1.0, 1.25, 0.5, 0.5), // heap missed, exec +0 %
                stage(2.0, 4.0, Double.NaN, 1.0, 1.0, 0.0), // no heap bound; no exec use
                stage(3.0, 2.0, 1.5, Double.NaN, 0.3, 0.6)), // heap unmeasured; exec missed
            1);
    assertEquals(50.0, r.peakHeapCoverage(), 1e-9);
    assertEquals(50.0, r.heapAfterGcCoverage(), 1e-9);
    assertEquals(40.0, r.heapAfterGcMedianOverProvision(), 1e-9);
    // Over-provision of the two measured heaps: +100 % and -20 %.
    assertEquals(40.0, r.peakHeapMedianOverProvision(), 1e-9);
    assertEquals(100.0 * 2 / 3, r.peakExecutionMemoryCoverage(), 1e-9);
    // +25 %, 0 %, -50 %: the stage that used no execution memory is left out.
    assertEquals(0.0, r.peakExecutionMemoryMedianOverProvision(), 1e-9);
    // MAPE over stages of at least 1 s: 10 %, 10 %, 50 %, 50 %.
    assertEquals(30.0, r.stageExecutorSecondsMape(1.0), 1e-9);
    assertEquals(50.0, r.stageExecutorSecondsMape(2.0), 1e-9);
    // Shuffle written as the execution memory, predicted at its bound, bounded at twice it: points
    // 0.5, 0.5 and 0.3 against 0.4, 0.5 and 0.6 (the stage that wrote nothing left out).
    assertEquals(100 * (0.25 + 0 + 0.5) / 3, r.shuffleWriteMape(), 1e-9);
    assertEquals(100.0, r.shuffleWriteCoverage(), 1e-9);
    // +150 %, +100 %, 0 %.
    assertEquals(100.0, r.shuffleWriteMedianOverProvision(), 1e-9);
    // Spilled as the heap: three measured spills, one without a bound, one above it.
    assertEquals(3, r.spilledStages());
    assertEquals(50.0, r.spillCoverage(), 1e-9);
  }

  @Test
  void stagesChosenByTheirEarlierRunsAreNotChosenByTheScoredRunsNoise() {
    StageResult usuallyShort = // did 0.8 s at the median before; noise took this run to 1.2 s
        new StageResult("a", "s", "HIGH", 0.8, 1.2, 0.8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    StageResult usuallyLong = // did 2 s at the median before; this run was quick
        new StageResult("a", "l", "HIGH", 2.0, 0.8, 2.0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    StageResult firstRun =
        new StageResult("a", "n", "HIGH", 3.0, 2.0, Double.NaN, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    StageResult noWork =
        new StageResult("a", "z", "HIGH", 1.0, 0.0, 1.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Report r = new Report(List.of(), List.of(usuallyShort, usuallyLong, firstRun, noWork), 1);
    // By the actual: the short stage's unlucky run (33 %) and the new one (50 %).
    assertEquals((100.0 / 3 + 50) / 2, r.stageExecutorSecondsMape(1.0), 1e-9);
    // By the earlier runs: only the long stage (150 %); no history, no work: left out.
    assertEquals(150.0, r.usualStageExecutorSecondsMape(1.0), 1e-9);
    assertTrue(Double.isNaN(r.usualStageExecutorSecondsMape(5.0)));
  }

  @Test
  void theJobBoundsAreScoredOverTheRunsThatHaveOne() {
    String conformal = "conformal over 20 runs of this job";
    String stages = "sum of the stage bounds";
    Report r =
        new Report(
            List.of(
                // wall-clock covered at +25 %; core-seconds at the bound: covered, 0 %
                new RunResult("a", "j", "HIGH", 1, 10, 15, 12, conformal, 5, 5, 5, conformal),
                // wall-clock at the bound: covered, 0 %; core-seconds missed, -50 %
                new RunResult("b", "j", "HIGH", 1, 10, 11, 11, conformal, 5, 4, 8, conformal),
                // wall-clock missed, -25 %; core-seconds covered at +100 %
                new RunResult("c", "j", "HIGH", 1, 10, 12, 16, stages, 5, 10, 5, stages),
                // no bound
                new RunResult("d", "j", "LOW", 1, 10, Double.NaN, 9, "", 5, Double.NaN, 5, "")),
            List.of(),
            1);
    assertEquals(100.0 * 2 / 3, r.wallClockCoverage(), 1e-9);
    assertEquals(0.0, r.wallClockMedianOverProvision(), 1e-9);
    assertEquals(100.0 * 2 / 3, r.coreSecondsCoverage(), 1e-9);
    assertEquals(0.0, r.coreSecondsMedianOverProvision(), 1e-9);
    assertEquals(2, r.conformalWallClockBounds());
    Report none = new Report(List.of(r.runs().get(3)), List.of(), 1);
    assertTrue(Double.isNaN(none.wallClockCoverage()));
    assertTrue(Double.isNaN(none.wallClockMedianOverProvision()));
    assertTrue(Double.isNaN(none.coreSecondsCoverage()));
  }

  @Test
  void noBoundsGiveNaNNotAFalseScore() {
    Report r = new Report(List.of(), List.of(stage(1, 1, Double.NaN, 1, Double.NaN, 1)), 1);
    assertTrue(Double.isNaN(r.peakHeapCoverage()));
    assertTrue(Double.isNaN(r.peakExecutionMemoryMedianOverProvision()));
  }
}
