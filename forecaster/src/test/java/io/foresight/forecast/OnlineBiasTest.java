package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The online bias of a component between trainings ({@link OnlineStats#next}). */
class OnlineBiasTest {
  private static final double DRIFT = OnlineStats.DRIFT_PER_RUN;

  @Test
  void oneRunMovesASteadyComponentMoreThanANoisyOne() {
    OnlineStats.Entry steady = OnlineStats.next(null, 0.3, DRIFT, 0);
    OnlineStats.Entry noisy = OnlineStats.next(null, 0.3, 0.3, 0);
    // gain = drift² / (drift² + noise²): 1/2 when the noise equals the drift, 1/37 at 6 times it
    assertEquals(0.15, steady.bias(), 1e-12);
    assertEquals(0.3 / 37, noisy.bias(), 1e-12);
    assertTrue(steady.variance() > 0 && steady.variance() < DRIFT * DRIFT);
  }

  @Test
  void aLastingShiftIsFollowedEvenThroughNoise() {
    OnlineStats.Entry e = null;
    for (int i = 0; i < 40; i++) {
      e = OnlineStats.next(e, 0.3, 0.3, i);
    }
    assertEquals(0.3, e.bias(), 0.01);
    assertEquals(40, e.n());
  }

  @Test
  void withoutAKnownNoiseTheBiasIsAnExponentialMean() {
    OnlineStats.Entry e = OnlineStats.next(null, 0.4, Double.NaN, 0);
    assertEquals(OnlineStats.WEIGHT * 0.4, e.bias(), 1e-12);
    e = OnlineStats.next(e, 0.0, Double.NaN, 1);
    assertEquals(OnlineStats.WEIGHT * OnlineStats.WEIGHT * 0.4, e.bias(), 1e-12);
  }
}
