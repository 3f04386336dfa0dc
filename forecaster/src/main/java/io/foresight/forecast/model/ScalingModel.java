package io.foresight.forecast.model;

/**
 * A component's scaling model for one target: the linear model in log space, the ranges it was
 * fitted on, and how far its predictions are expected to miss.
 *
 * <p>A fit on a handful of runs can have a steep slope, so predictions are held within the labels
 * seen, widened by half a log unit and, outside the fitted input range, by at most 1.5 log units of
 * label per log unit of input (somewhat super-linear scaling).
 *
 * <p>The expected miss, {@link #width}, is the textbook standard error of a new prediction, {@code
 * sd * sqrt(1 + h(x))}: the residual spread of the component's own runs ({@code residualSd}) times
 * the growth of the fit's uncertainty away from the inputs it was fitted on ({@code h(x)}, the
 * leverage of {@code x}). Calibration divides held-out residuals by it (normalised
 * split-conformal), so a steady component gets a narrow bound, a noisy one a wide one, and a run
 * far outside the inputs seen a wider one.
 *
 * @param n runs the model was fitted on; 0 in models written before spreads were kept
 * @param residualSd the residual standard deviation in log units, shrunk towards the spread of all
 *     components of the target; 0 in models written before spreads were kept
 * @param meanX the mean of each scaling feature over the fitted runs
 * @param inverseScatter the inverse of the fitted runs' scatter matrix of the features that varied,
 *     row-major, {@code meanX.length} square, zero for the features that did not vary
 * @param pointShift what the point estimate adds to the log prediction ({@link #pointShift}); 0 in
 *     models written before it was kept
 */
public record ScalingModel(
    LinearModel linear,
    double minLogLabel,
    double maxLogLabel,
    double minLogInput,
    double maxLogInput,
    int n,
    double residualSd,
    double[] meanX,
    double[] inverseScatter,
    double pointShift) {
  static final double MARGIN = 0.5;
  static final double MAX_SLOPE = 1.5;

  /** A model without a known spread: its {@link #width} is 1. */
  public ScalingModel(
      LinearModel linear,
      double minLogLabel,
      double maxLogLabel,
      double minLogInput,
      double maxLogInput) {
    this(linear, minLogLabel, maxLogLabel, minLogInput, maxLogInput, 0, 0, null, null, 0);
  }

  /** The log prediction for scaling features {@code x} ({@code x[0]} is the log input). */
  public double predict(double[] x) {
    double f = linear.predict(x);
    double below = Math.max(0, minLogInput - x[0]);
    double above = Math.max(0, x[0] - maxLogInput);
    double lo = minLogLabel - MARGIN - MAX_SLOPE * below;
    double hi = maxLogLabel + MARGIN + MAX_SLOPE * above;
    return Math.min(hi, Math.max(lo, f));
  }

  /**
   * The expected size of the prediction's log error at {@code x}, the unit its calibrated quantile
   * is in; 1 for a model without a spread (written before spreads were kept, whose calibration is
   * in plain log units).
   */
  public double width(double[] x) {
    if (!(residualSd > 0)) {
      return 1;
    }
    return residualSd * leverageFactor(x);
  }

  /**
   * How much less sure a prediction at {@code x} is than one at the fitted inputs' centre: {@code
   * sqrt(1 + h(x))}, at least 1.
   */
  public double leverageFactor(double[] x) {
    return Math.sqrt(1 + leverage(x));
  }

  /** The least-squares leverage of {@code x}: {@code 1/n + (x - mean)' S^-1 (x - mean)}. */
  public double leverage(double[] x) {
    if (n <= 0) {
      return 0;
    }
    double h = 1.0 / n;
    if (meanX == null || inverseScatter == null || meanX.length != x.length) {
      return h;
    }
    int w = meanX.length;
    for (int i = 0; i < w; i++) {
      for (int j = 0; j < w; j++) {
        h += (x[i] - meanX[i]) * inverseScatter[i * w + j] * (x[j] - meanX[j]);
      }
    }
    return h;
  }

  /** Log labels closer than this are the same value. */
  public static final double SAME_LOG_LABEL = 1e-9;

  /**
   * Whether every run the model was fitted on had the same label: a stage that never spills, a
   * shuffle of a fixed table, an aggregation whose memory is a whole number of the same pages.
   */
  public boolean exact() {
    return maxLogLabel - minLogLabel <= SAME_LOG_LABEL;
  }

  /** This model with the residual spread {@code sd}. */
  public ScalingModel withResidualSd(double sd) {
    return new ScalingModel(
        linear,
        minLogLabel,
        maxLogLabel,
        minLogInput,
        maxLogInput,
        n,
        sd,
        meanX,
        inverseScatter,
        pointShift);
  }
}
