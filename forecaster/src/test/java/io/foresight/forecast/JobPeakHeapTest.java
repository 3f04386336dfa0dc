package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The job's peak heap: the largest of its stages' points and bounds. */
class JobPeakHeapTest {
  private static Estimate e(double point, double upper) {
    return new Estimate(point, upper, Confidence.HIGH, "");
  }

  @Test
  void theLargestPointAndTheLargestBound() {
    assertArrayEquals(
        new double[] {0.5, 0.9}, DemandForecaster.largest(List.of(e(0.2, 0.9), e(0.5, 0.6))));
  }

  @Test
  void aStageWithoutABoundCountsWithItsPointAndLeavesTheOthersBound() {
    // the demo's planned run: a small stage had a heap point but too few runs for a bound
    assertArrayEquals(
        new double[] {0.5, 0.9},
        DemandForecaster.largest(List.of(e(0.5, 0.9), e(0.2, Double.NaN))));
    assertArrayEquals(
        new double[] {0.5, 0.5},
        DemandForecaster.largest(List.of(e(0.2, 0.3), e(0.5, Double.NaN))));
  }

  @Test
  void aStageWithoutAPointDoesNotCount() {
    assertArrayEquals(
        new double[] {0.2, 0.3},
        DemandForecaster.largest(List.of(Estimate.none("no model"), e(0.2, 0.3))));
  }

  @Test
  void noPointAtAllIsNoEstimate() {
    double[] none = DemandForecaster.largest(List.of(Estimate.none("no model")));
    assertTrue(Double.isNaN(none[0]) && Double.isNaN(none[1]));
    double[] empty = DemandForecaster.largest(List.of());
    assertTrue(Double.isNaN(empty[0]) && Double.isNaN(empty[1]));
  }
}
