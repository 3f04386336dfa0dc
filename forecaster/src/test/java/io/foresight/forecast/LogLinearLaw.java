package io.foresight.forecast;

import java.util.Random;

/**
 * A known law of a log label for tests of calibrated bounds: {@code ln(label) = a + b x + sd e},
 * with {@code e} standard normal.
 */
record LogLinearLaw(double a, double b, double sd) {
  /** One draw of the log label at feature {@code x}. */
  double draw(double x, Random rnd) {
    return a + b * x + sd * rnd.nextGaussian();
  }
}
