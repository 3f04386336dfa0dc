package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.Backtest.Report;
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
        heapUpper,
        heap,
        execUpper,
        exec,
        heapUpper / 2,
        heap / 2);
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
  }

  @Test
  void noBoundsGiveNaNNotAFalseScore() {
    Report r = new Report(List.of(), List.of(stage(1, 1, Double.NaN, 1, Double.NaN, 1)), 1);
    assertTrue(Double.isNaN(r.peakHeapCoverage()));
    assertTrue(Double.isNaN(r.peakExecutionMemoryMedianOverProvision()));
  }
}
