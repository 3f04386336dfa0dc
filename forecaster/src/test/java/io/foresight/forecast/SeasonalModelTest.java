package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.model.SeasonalModel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeasonalModelTest {
  private static double planted(int period, int i) {
    return 10
        + 0.02 * i
        + 3 * Math.sin(2 * Math.PI * i / period)
        + Math.cos(4 * Math.PI * i / period);
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 7, 12, 24})
  void recoversAPlantedPeriodAndForecastsTheNextSeason(int period) {
    Random rnd = new Random(period);
    int n = period * 5;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = planted(period, i) + 0.3 * rnd.nextGaussian();
    }
    SeasonalModel m = SeasonalModel.fit(y, 48);
    assertEquals(period, m.period());
    int inside = 0;
    double absErr = 0;
    for (int h = 1; h <= period; h++) {
      SeasonalModel.Forecast f = m.forecast(h, 0.95);
      double truth = planted(period, n - 1 + h);
      absErr += Math.abs(f.point() - truth);
      if (truth >= f.lower() && truth <= f.upper()) {
        inside++;
      }
    }
    assertTrue(absErr / period < 0.6, "mean abs error " + absErr / period);
    assertTrue(inside >= period - 1, inside + " of " + period + " inside the interval");
  }

  @Test
  void noSeasonInNoise() {
    Random rnd = new Random(3);
    double[] y = new double[60];
    for (int i = 0; i < y.length; i++) {
      y[i] = 5 + rnd.nextGaussian();
    }
    assertEquals(0, SeasonalModel.detectPeriod(y, 24));
    SeasonalModel m = SeasonalModel.fit(y, 24);
    assertEquals(0, m.period());
    assertEquals(5, m.forecast(1, 0.95).point(), 1.0);
  }

  @Test
  void aTrendIsCarriedNoFurtherAheadThanTheSeriesItWasFittedOn() {
    // 20 runs growing by 0.5 a run: used 1000 runs after training, the model must not forecast
    // 10 + 0.5 * 1020 = 520; the slope is carried for 20 runs ahead at most.
    double[] y = new double[20];
    for (int i = 0; i < y.length; i++) {
      y[i] = 10 + 0.5 * i;
    }
    SeasonalModel m = SeasonalModel.fit(y, 8);
    assertEquals(0, m.period());
    assertEquals(20, m.forecast(1, 0.95).point(), 0.5);
    assertEquals(29.5, m.forecast(20, 0.95).point(), 0.5);
    assertEquals(m.forecast(20, 0.95).point(), m.forecast(1000, 0.95).point(), 1e-9);
  }

  @Test
  void refusesTooShortOrNonFiniteSeries() {
    assertThrows(IllegalArgumentException.class, () -> SeasonalModel.fit(new double[] {1, 2}, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> SeasonalModel.fit(new double[] {1, Double.NaN, 2, 3}, 4));
  }

  @Test
  void normalQuantileMatchesKnownValues() {
    assertEquals(1.959964, SeasonalModel.normalQuantile(0.975), 1e-6);
    assertEquals(-1.644854, SeasonalModel.normalQuantile(0.05), 1e-6);
    assertEquals(0, SeasonalModel.normalQuantile(0.5), 1e-12);
  }
}
