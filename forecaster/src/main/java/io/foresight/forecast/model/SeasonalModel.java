package io.foresight.forecast.model;

import java.util.Arrays;

/**
 * Additive Holt-Winters exponential smoothing of a series indexed by run (one value per run of a
 * recurring job), with the season length detected from the autocorrelation. Without a detectable
 * season it is Holt's linear smoothing.
 *
 * @param period season length in runs, 0 when none was detected
 * @param seasonals the last {@code period} seasonal components; element {@code i} belongs to run
 *     index {@code (n - period + i)}
 * @param residualStd standard deviation of the one-step-ahead errors in the fit
 */
public record SeasonalModel(
    int n,
    int period,
    double alpha,
    double beta,
    double gamma,
    double level,
    double trend,
    double[] seasonals,
    double residualStd) {

  /** A forecast {@code steps} runs ahead with a two-sided interval at the requested quantile. */
  public record Forecast(double point, double lower, double upper) {}

  private static final double MIN_AUTOCORRELATION = 0.3;
  private static final double[] ALPHAS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
  private static final double[] BETAS = {0.0, 0.02, 0.05, 0.1, 0.2};
  private static final double[] GAMMAS = {0.05, 0.1, 0.2, 0.3, 0.5};

  /**
   * Fits the series. Needs at least 3 values; a season is considered only with two full seasons of
   * data.
   *
   * @throws IllegalArgumentException for fewer than 3 values or a non-finite value
   */
  public static SeasonalModel fit(double[] y, int maxPeriod) {
    if (y.length < 3) {
      throw new IllegalArgumentException("A seasonal model needs at least 3 runs, got " + y.length);
    }
    for (double v : y) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("A seasonal series must be finite, got " + v);
      }
    }
    int period = detectPeriod(y, maxPeriod);
    SeasonalModel best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    double[] gammas = period == 0 ? new double[] {0} : GAMMAS;
    for (double a : ALPHAS) {
      for (double b : BETAS) {
        for (double g : gammas) {
          double[] sse = new double[1];
          SeasonalModel m = run(y, period, a, b, g, sse);
          if (sse[0] < bestSse) {
            bestSse = sse[0];
            best = m;
          }
        }
      }
    }
    return best;
  }

  /**
   * The lag in {@code [2, maxPeriod]} with the highest autocorrelation, when that is a local peak
   * above 0.3 and the series holds two full seasons; 0 otherwise.
   */
  public static int detectPeriod(double[] y, int maxPeriod) {
    int n = y.length;
    int limit = Math.min(maxPeriod, n / 2);
    if (limit < 2) {
      return 0;
    }
    double mean = Arrays.stream(y).average().orElse(0);
    double var = 0;
    for (double v : y) {
      var += (v - mean) * (v - mean);
    }
    if (var <= 0) {
      return 0;
    }
    double[] acf = new double[limit + 2];
    for (int lag = 1; lag <= Math.min(limit + 1, n - 1); lag++) {
      double s = 0;
      for (int i = lag; i < n; i++) {
        s += (y[i] - mean) * (y[i - lag] - mean);
      }
      acf[lag] = s / var;
    }
    int best = 0;
    double bestAcf = MIN_AUTOCORRELATION;
    for (int lag = 2; lag <= limit; lag++) {
      boolean peak = acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1];
      if (peak && acf[lag] > bestAcf) {
        best = lag;
        bestAcf = acf[lag];
      }
    }
    return best;
  }

  private static SeasonalModel run(
      double[] y, int p, double alpha, double beta, double gamma, double[] sseOut) {
    int n = y.length;
    double level;
    double trend;
    double[] season = new double[Math.max(p, 1)];
    int start;
    if (p > 0) {
      double m1 = mean(y, 0, p);
      double m2 = mean(y, p, 2 * p);
      level = m1;
      trend = (m2 - m1) / p;
      for (int i = 0; i < p; i++) {
        season[i] = y[i] - m1;
      }
      level = m1 + trend * (p - 1) / 2.0; // level at the end of the first season
      start = p;
    } else {
      level = y[0];
      trend = y[1] - y[0];
      start = 1;
    }
    double sse = 0;
    int count = 0;
    for (int t = start; t < n; t++) {
      double s = p > 0 ? season[t % p] : 0;
      double predicted = level + trend + s;
      double err = y[t] - predicted;
      sse += err * err;
      count++;
      double prevLevel = level;
      level = alpha * (y[t] - s) + (1 - alpha) * (level + trend);
      trend = beta * (level - prevLevel) + (1 - beta) * trend;
      if (p > 0) {
        season[t % p] = gamma * (y[t] - level) + (1 - gamma) * s;
      }
    }
    sseOut[0] = sse;
    double[] last = new double[p];
    for (int i = 0; i < p; i++) {
      last[i] = season[(n - p + i) % p];
    }
    double std = count > 1 ? Math.sqrt(sse / (count - 1)) : 0;
    return new SeasonalModel(n, p, alpha, beta, gamma, level, trend, last, std);
  }

  private static double mean(double[] y, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += y[i];
    }
    return s / (to - from);
  }

  /**
   * Forecasts the value {@code steps} runs after the last fitted one ({@code steps >= 1}), with an
   * interval whose ends are the {@code 1 - q} and {@code q} quantiles under Gaussian errors. The
   * trend is carried at most as many runs ahead as the series it was fitted on holds: a model used
   * long after its training (many runs ahead) does not extrapolate a short series' slope without
   * end.
   */
  public Forecast forecast(int steps, double q) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    double point = point(steps);
    double z = normalQuantile(q);
    double spread = z * residualStd * Math.sqrt(1 + (steps - 1) * alpha * alpha);
    return new Forecast(point, point - spread, point + spread);
  }

  /** The point forecast {@code steps} runs ahead ({@code steps >= 1}), as {@link #forecast}'s. */
  public double point(int steps) {
    double s = period > 0 ? seasonals[(steps - 1) % period] : 0;
    return level + Math.min(steps, Math.max(1, n)) * trend + s;
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
  public static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("A quantile level must be in (0, 1), got " + p);
    }
    double[] a = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01,
      1.615858368580409e+02,
      -1.556989798598866e+02,
      6.680131188771972e+01,
      -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      return -normalQuantile(1 - p);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
