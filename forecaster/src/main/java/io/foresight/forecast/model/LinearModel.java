package io.foresight.forecast.model;

/**
 * A linear model exported from MLlib's {@code LinearRegressionModel}: {@code intercept +
 * coefficients · x}, with the dot product MLlib uses.
 */
public record LinearModel(double intercept, double[] coefficients) {
  public double predict(double[] x) {
    if (x.length != coefficients.length) {
      throw new IllegalArgumentException(
          "Expected " + coefficients.length + " features, got " + x.length);
    }
    return MllibDot.dot(x.length, x, coefficients) + intercept;
  }
}
