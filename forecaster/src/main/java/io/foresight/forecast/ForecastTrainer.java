package io.foresight.forecast;

import io.foresight.forecast.model.Calibration;
import io.foresight.forecast.model.ComponentModel;
import io.foresight.forecast.model.ForecastModel;
import io.foresight.forecast.model.JobCalibration;
import io.foresight.forecast.model.JobTemplate;
import io.foresight.forecast.model.LinearModel;
import io.foresight.forecast.model.ScalingModel;
import io.foresight.forecast.model.SeasonalModel;
import io.foresight.forecast.model.TargetModel;
import io.foresight.forecast.model.TreeEnsemble;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link ForecastModel} with Spark MLlib from captured runs.
 *
 * <ul>
 *   <li>Per component (stage signature) with at least {@code minRuns} runs and per target, a linear
 *       model of {@code ln(label)} on {@code ln(job input GiB)} and {@code ln(task slots)}:
 *       Ernest's scaling model in log space: MLlib's ridge {@code LinearRegression}, evaluated in
 *       closed form ({@link #fitXY}) so that thousands of components need no Spark job each.
 *   <li>Per target, one global gradient-boosted tree model over plan, data, calendar and lag
 *       features ({@link Features#GLOBAL}), for components with few runs.
 *   <li>Split-conformal calibration on each job's most recent runs ({@link #heldOutRuns}): the
 *       models are fitted on the older runs, residuals of the held-out recent runs give each
 *       bound's quantile. The component models' calibration also scores as many runs before the
 *       held-out ones, by component models fitted on the runs before those: twice the residuals, so
 *       that one window of runs weighs less. Component models are then refitted on all runs (they
 *       are cheap and the newest runs matter most); the global model stays the one that was
 *       calibrated. A component model's residual is divided by its expected error ({@link
 *       ScalingModel#width}: its own runs' spread, shrunk towards all components', and the leverage
 *       of the run's input), so the calibrated quantile is in those units and each component's
 *       bound is as wide as its own error (normalised split-conformal). The global model's
 *       residuals are calibrated as they are.
 *   <li>Per job with at least {@code minRuns} CPU runs, scaling models of its wall-clock and
 *       core-seconds, with conformal bounds calibrated on its own runs in time order ({@link
 *       #calibrateJobs}).
 * </ul>
 */
public final class ForecastTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastTrainer.class);

  /** Training settings. */
  public record Options(
      double quantile,
      int minRuns,
      double calibrationFraction,
      int gbtIterations,
      int gbtDepth,
      int maxPeriod,
      long seed) {
    public static Options defaults() {
      return new Options(0.95, 3, 0.25, 30, 4, 48, 42L);
    }

    public Options withQuantile(double q) {
      return new Options(q, minRuns, calibrationFraction, gbtIterations, gbtDepth, maxPeriod, seed);
    }

    public Options withMinRuns(int m) {
      return new Options(
          quantile, m, calibrationFraction, gbtIterations, gbtDepth, maxPeriod, seed);
    }
  }

  /** One component in one run, with features built from what was known before that run. */
  record Example(
      int runIndex,
      String signature,
      int priorRuns,
      double[] scaling,
      Map<Target, double[]> global,
      Map<Target, Double> logLabel) {}

  private final SparkSession spark;
  private final Options options;

  public ForecastTrainer(SparkSession spark, Options options) {
    this.spark = spark;
    this.options = options;
  }

  /**
   * Trains on {@code runs} (oldest first).
   *
   * @throws IllegalArgumentException when {@code runs} has no component to learn from
   */
  public ForecastModel train(List<AppRun> runs, Map<String, Long> trainingData, long nowMs) {
    List<Example> examples = new ArrayList<>();
    Map<String, ComponentState> states = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      AppRun run = runs.get(i);
      RunContext ctx = run.context();
      for (ComponentRun c : ComponentRun.of(run)) {
        ComponentState state = states.computeIfAbsent(c.signature(), ComponentState::new);
        ComponentModel before = state.snapshot(c, Map.of());
        Map<Target, double[]> global = new HashMap<>();
        Map<Target, Double> labels = new HashMap<>();
        Map<Target, Double> cpu = c.cpuLabels();
        for (Target t : Target.values()) {
          global.put(t, Features.global(before, t, ctx, state.lag(t)));
          labels.put(t, t.toLog(cpu.get(t)));
        }
        examples.add(
            new Example(i, c.signature(), state.runs(), Features.scaling(ctx), global, labels));
        state.observe(c, run);
      }
    }
    if (examples.isEmpty()) {
      throw new IllegalArgumentException(
          "The history has no completed stage with a signature in a succeeded application with a"
              + " job key; capture or import some runs first");
    }
    boolean[] heldOut = heldOutRuns(runs, options.calibrationFraction());
    int calibrationRuns = 0;
    for (boolean h : heldOut) {
      calibrationRuns += h ? 1 : 0;
    }
    List<Example> train = examples.stream().filter(e -> !heldOut[e.runIndex()]).toList();
    List<Example> held = examples.stream().filter(e -> heldOut[e.runIndex()]).toList();
    // The block of runs before the held-out ones, scored by component models fitted on the runs
    // before it: twice the residuals for the component calibration.
    boolean[] earlierOut = heldOutRuns(runs, 2 * options.calibrationFraction());
    List<Example> beforeEarlier = examples.stream().filter(e -> !earlierOut[e.runIndex()]).toList();
    List<Example> earlier =
        examples.stream().filter(e -> earlierOut[e.runIndex()] && !heldOut[e.runIndex()]).toList();

    Map<String, TargetModel> targets = new TreeMap<>();
    Map<String, Map<String, ScalingModel>> finalScaling = new HashMap<>();
    for (Target t : Target.values()) {
      TreeEnsemble global = train.size() >= 10 ? fitGlobal(train, t) : null;
      Map<String, ScalingModel> calScaling = fitScaling(train, t);
      List<Double> compResiduals = new ArrayList<>();
      List<Double> compWidths = new ArrayList<>();
      List<Boolean> compExact = new ArrayList<>();
      List<Double> globalResiduals = new ArrayList<>();
      for (Example e : held) {
        ScalingModel lin = calScaling.get(e.signature());
        double label = e.logLabel().get(t);
        if (Double.isNaN(label)) {
          continue;
        }
        if (lin != null && e.priorRuns() >= options.minRuns()) {
          score(lin, e.scaling(), label, compResiduals, compWidths, compExact);
        } else if (global != null) {
          globalResiduals.add(label - global.predict(e.global().get(t)));
        }
      }
      Map<String, ScalingModel> earlierScaling =
          earlier.isEmpty() ? Map.of() : fitScaling(beforeEarlier, t);
      for (Example e : earlier) {
        ScalingModel lin = earlierScaling.get(e.signature());
        double label = e.logLabel().get(t);
        if (lin != null && !Double.isNaN(label) && e.priorRuns() >= options.minRuns()) {
          score(lin, e.scaling(), label, compResiduals, compWidths, compExact);
        }
      }
      Calibration compCal =
          componentCalibration(
              toArray(compResiduals), toArray(compWidths), flags(compExact), options.quantile());
      Calibration globalCal = Conformal.calibrate(toArray(globalResiduals), options.quantile());
      Map<String, Double> metrics = new TreeMap<>();
      metrics.put("component_heldout_n", (double) compResiduals.size());
      metrics.put("global_heldout_n", (double) globalResiduals.size());
      metrics.put("component_heldout_mape", mape(compResiduals));
      metrics.put("global_heldout_mape", mape(globalResiduals));
      targets.put(t.column(), new TargetModel(global, compCal, globalCal, metrics));
      for (Map.Entry<String, ScalingModel> e : fitScaling(examples, t).entrySet()) {
        finalScaling
            .computeIfAbsent(e.getKey(), k -> new TreeMap<>())
            .put(t.column(), e.getValue());
      }
    }
    Map<String, ComponentModel> components = new TreeMap<>();
    for (Map.Entry<String, ComponentState> e : states.entrySet()) {
      components.put(
          e.getKey(), e.getValue().last(finalScaling.getOrDefault(e.getKey(), Map.of())));
    }
    Map<String, JobTemplate> jobs =
        withJobScaling(JobTemplates.build(runs, options.maxPeriod()), runs);
    Map<String, Long> data = new LinkedHashMap<>(trainingData);
    data.put("applications", (long) runs.size());
    data.put("component_runs", (long) examples.size());
    data.put("calibration_applications", (long) calibrationRuns);
    LOG.info(
        "Trained on {} applications, {} component runs, {} components",
        runs.size(),
        examples.size(),
        components.size());
    return new ForecastModel(
        ForecastModel.FORMAT_VERSION,
        ModelStore.versionAt(nowMs),
        nowMs,
        data,
        Features.GLOBAL,
        options.quantile(),
        options.minRuns(),
        targets,
        components,
        jobs);
  }

  /**
   * The component calibration of one target from its held-out residuals, their models' widths and
   * whether each was an {@link #exactHit}. The exact hits are left out: their bound covers them
   * whatever the quantile ({@link Calibration#componentOffset} keeps it at or above the value), and
   * their scores of zero would lower the quantile of the components that vary. Pooled with three
   * never-spilling stages for every two that spill, the quantile is the spilling stages' {@code 1 -
   * 0.05 * 5 / 2}, not 0.95, and their bounds cover about 87.5 % of their runs. Left out, each kind
   * gets its due (calibration within a group, as in Mondrian conformal prediction).
   *
   * <p>With too few other residuals for a finite quantile at {@code level} but enough in the pool,
   * the quantile is the largest of the others' scores. That covers {@code n / (n + 1)} of them,
   * below the level but above what the pool's quantile, which is one of those scores or lower,
   * gives them; and since it is at least the pool's, the pool's guarantee over all runs still
   * holds.
   */
  static Calibration componentCalibration(
      double[] residuals, double[] widths, boolean[] exactHits, double level) {
    int varying = 0;
    for (boolean e : exactHits) {
      varying += e ? 0 : 1;
    }
    Calibration pool = Conformal.calibrateNormalised(residuals, widths, level);
    if (varying == residuals.length) {
      return pool;
    }
    double[] r = new double[varying];
    double[] w = new double[varying];
    double largest = Double.NEGATIVE_INFINITY;
    for (int i = 0, k = 0; i < residuals.length; i++) {
      if (!exactHits[i]) {
        r[k] = residuals[i];
        w[k++] = widths[i];
        largest = Math.max(largest, residuals[i] / widths[i]);
      }
    }
    Calibration others = Conformal.calibrateNormalised(r, w, level);
    if (others.usable()) {
      return others;
    }
    if (!pool.usable() || varying == 0) {
      return pool;
    }
    return new Calibration(
        pool.n(),
        Math.max(pool.quantileLog(), largest),
        pool.meanAbsLogError(),
        pool.maxLogResidual());
  }

  /**
   * Adds component model {@code lin}'s held-out log residual at scaling features {@code x}, its
   * width there and whether it was an {@link #exactHit}.
   */
  private static void score(
      ScalingModel lin,
      double[] x,
      double logLabel,
      List<Double> residuals,
      List<Double> widths,
      List<Boolean> exactHits) {
    double r = logLabel - lin.predict(x);
    residuals.add(r);
    widths.add(lin.width(x));
    exactHits.add(exactHit(lin, r));
  }

  /**
   * Whether a held-out run of a component whose training runs all had the same value did that value
   * again (see {@link #componentCalibration}). A run that breaks the pattern is not.
   */
  static boolean exactHit(ScalingModel m, double logResidual) {
    return m.exact() && Math.abs(logResidual) <= ScalingModel.SAME_LOG_LABEL;
  }

  /**
   * The runs held out for calibration: per job key with at least {@value #MIN_RUNS_TO_HOLD_OUT}
   * runs, its most recent {@code fraction} (at least one). Holding out per job, rather than the
   * most recent runs of the whole history, keeps every recurring job in the calibration set even
   * when other jobs ran last.
   */
  static boolean[] heldOutRuns(List<AppRun> runs, double fraction) {
    Map<String, List<Integer>> byJob = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      byJob.computeIfAbsent(runs.get(i).jobKey(), k -> new ArrayList<>()).add(i);
    }
    boolean[] held = new boolean[runs.size()];
    for (List<Integer> indices : byJob.values()) {
      if (indices.size() < MIN_RUNS_TO_HOLD_OUT) {
        continue;
      }
      int n = Math.max(1, (int) Math.round(indices.size() * fraction));
      for (int i = indices.size() - n; i < indices.size(); i++) {
        held[indices.get(i)] = true; // runs are oldest first
      }
    }
    return held;
  }

  /** Jobs with fewer runs are not held out: all their runs train. */
  static final int MIN_RUNS_TO_HOLD_OUT = 5;

  private TreeEnsemble fitGlobal(List<Example> all, Target t) {
    List<Example> rows = measured(all, t);
    if (rows.size() < 10) {
      return null;
    }
    List<Row> data = new ArrayList<>(rows.size());
    for (Example e : rows) {
      data.add(RowFactory.create(Vectors.dense(e.global().get(t)), e.logLabel().get(t)));
    }
    try (ShippedRows stored = ShippedRows.of(spark, data)) {
      GBTRegressionModel model =
          new GBTRegressor()
              .setMaxIter(options.gbtIterations())
              .setMaxDepth(options.gbtDepth())
              .setStepSize(0.2)
              .setMinInstancesPerNode(2)
              // MLlib cuts its default 32 bins to the number of rows, with a warning per tree
              // set: cut here, the same trees, no warning.
              .setMaxBins(Math.min(32, rows.size()))
              .setSeed(options.seed())
              .fit(spark.createDataFrame(stored.rdd(), schema()));
      return MllibExport.of(model);
    }
  }

  /**
   * Training rows as an RDD whose tasks do not carry them. A DataFrame made from a local list keeps
   * its rows in its partitions, and every task of every stage that reads it ships its partition.
   * Boosting runs a few stages per tree: on a million rows, each of their tasks serialised about
   * 100 megabytes. Here the rows are broadcast once, and a task carries only its slice's index and
   * the broadcast's handle. The slices are those Spark cuts a local list into (as many as the
   * default parallelism, in order), so the fitted trees are the same. Closing destroys the
   * broadcast.
   */
  record ShippedRows(JavaRDD<Row> rdd, Broadcast<List<Row>> rows) implements AutoCloseable {
    static ShippedRows of(SparkSession spark, List<Row> rows) {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int slices = Math.max(1, Math.min(rows.size(), sc.defaultParallelism()));
      Broadcast<List<Row>> shipped = sc.broadcast(rows);
      long n = rows.size();
      JavaRDD<Row> rdd =
          sc.parallelize(IntStream.range(0, slices).boxed().toList(), slices)
              .flatMap(
                  i -> {
                    int from = (int) (i * n / slices);
                    int to = (int) ((i + 1) * n / slices);
                    return shipped.value().subList(from, to).iterator();
                  });
      return new ShippedRows(rdd, shipped);
    }

    @Override
    public void close() {
      rows.destroy();
    }
  }

  private Map<String, ScalingModel> fitScaling(List<Example> rows, Target t) {
    Map<String, List<Example>> bySig = new LinkedHashMap<>();
    for (Example e : measured(rows, t)) {
      bySig.computeIfAbsent(e.signature(), k -> new ArrayList<>()).add(e);
    }
    Map<String, RawFit> fits = new HashMap<>();
    for (Map.Entry<String, List<Example>> e : bySig.entrySet()) {
      List<Example> rs = e.getValue();
      if (rs.size() < options.minRuns()) {
        continue;
      }
      double[][] x = rs.stream().map(Example::scaling).toArray(double[][]::new);
      double[] y = rs.stream().mapToDouble(r -> r.logLabel().get(t)).toArray();
      fits.put(e.getKey(), fitScalingModel(x, y));
    }
    return withPooledSpread(fits);
  }

  /** A component's scaling model before its spread is pooled: its residuals' sum of squares. */
  record RawFit(ScalingModel model, double rss, int dof) {}

  /** Residual degrees of freedom that the pooled spread of all components counts as. */
  static final double PRIOR_DOF = 4;

  /** The spread assumed when no component has a residual degree of freedom, in log units. */
  static final double PRIOR_SD = 0.25;

  /** The smallest spread a component gets, in log units (0.1 %). */
  static final double MIN_SD = 1e-3;

  /**
   * The fitted models with their residual spreads, each shrunk towards the pooled spread of all
   * components: {@code sd² = (rss + d0 s0²) / (dof + d0)}, with {@code s0²} the pooled residual
   * variance and {@code d0} = {@value #PRIOR_DOF}. A component fitted on 3 runs has 1 residual
   * degree of freedom, too few to trust its own spread (its 3 runs may have agreed by chance); one
   * with 30 runs keeps close to its own.
   */
  static Map<String, ScalingModel> withPooledSpread(Map<String, RawFit> fits) {
    double pooled = pooledVariance(fits.values());
    Map<String, ScalingModel> out = new HashMap<>();
    for (Map.Entry<String, RawFit> e : fits.entrySet()) {
      out.put(e.getKey(), e.getValue().model().withResidualSd(shrunkSd(e.getValue(), pooled)));
    }
    return out;
  }

  /** The residual variance of all {@code fits} together; the prior's when none has a residual. */
  static double pooledVariance(Collection<RawFit> fits) {
    double rss = 0;
    long dof = 0;
    for (RawFit f : fits) {
      if (f.dof() > 0) {
        rss += f.rss();
        dof += f.dof();
      }
    }
    return dof > 0 ? rss / dof : PRIOR_SD * PRIOR_SD;
  }

  /** Fit {@code f}'s residual spread shrunk towards {@code pooledVariance} (see above). */
  static double shrunkSd(RawFit f, double pooledVariance) {
    double own = f.dof() > 0 ? f.rss() : 0;
    double sd = Math.sqrt((own + PRIOR_DOF * pooledVariance) / (Math.max(0, f.dof()) + PRIOR_DOF));
    return Math.max(MIN_SD, sd);
  }

  /**
   * Fits {@code y ~ x} ({@link #fitXY}) with its ranges, the means and inverse scatter matrix of
   * the features (for leverage) and the residual sum of squares; the spread is left to {@link
   * #withPooledSpread}.
   */
  static RawFit fitScalingModel(double[][] x, double[] y) {
    LinearModel lin = fitXY(x, y);
    int n = x.length;
    int width = x[0].length;
    List<Integer> varying = varyingColumns(x);
    double[] mean = new double[width];
    for (double[] row : x) {
      for (int j = 0; j < width; j++) {
        mean[j] += row[j] / n;
      }
    }
    int k = varying.size();
    double[] inverse = new double[width * width];
    if (k > 0) {
      double[][] scatter = new double[k][k];
      for (double[] row : x) {
        for (int a = 0; a < k; a++) {
          for (int b = 0; b < k; b++) {
            int ca = varying.get(a);
            int cb = varying.get(b);
            scatter[a][b] += (row[ca] - mean[ca]) * (row[cb] - mean[cb]);
          }
        }
      }
      for (int b = 0; b < k; b++) {
        double[][] aug = new double[k][k + 1];
        for (int a = 0; a < k; a++) {
          System.arraycopy(scatter[a], 0, aug[a], 0, k);
          aug[a][k] = a == b ? 1 : 0;
        }
        double[] column = solve(aug);
        for (int a = 0; a < k; a++) {
          inverse[varying.get(a) * width + varying.get(b)] = column[a];
        }
      }
    }
    double rss = 0;
    double[] residuals = new double[n];
    for (int i = 0; i < n; i++) {
      residuals[i] = y[i] - lin.predict(x[i]);
      rss += residuals[i] * residuals[i];
    }
    ScalingModel m =
        new ScalingModel(
            lin,
            Arrays.stream(y).min().orElse(0),
            Arrays.stream(y).max().orElse(0),
            Arrays.stream(x).mapToDouble(r -> r[0]).min().orElse(0),
            Arrays.stream(x).mapToDouble(r -> r[0]).max().orElse(0),
            n,
            0,
            mean,
            inverse,
            n >= MIN_RUNS_FOR_SHIFT ? relativeErrorShift(residuals) : 0);
    return new RawFit(m, rss, n - 1 - k);
  }

  /** Fewer runs say too little about the shape of a component's errors to move its point. */
  static final int MIN_RUNS_FOR_SHIFT = 6;

  /**
   * The shift {@code c} of a log prediction that minimises the mean relative error {@code |p - y| /
   * y} over runs with log residuals {@code r} (actual minus predicted): since {@code |p - y| / y =
   * |exp(c - r) - 1|}, the minimum is at the median of {@code r} weighted by {@code exp(-r)}.
   *
   * <p>For log-normal noise this is close to 0. Where a component's runs come in two modes, it
   * moves the point from between them onto the common one: a short stage that pays the fresh
   * executor JVM's warm-up only when Spark happens to start it first is predicted as it usually
   * runs, instead of missing every run by half the warm-up.
   */
  static double relativeErrorShift(double[] r) {
    double[] sorted = r.clone();
    Arrays.sort(sorted);
    double total = 0;
    for (double v : sorted) {
      total += Math.exp(-v);
    }
    double below = 0;
    for (double v : sorted) {
      below += Math.exp(-v);
      if (below >= total / 2) {
        return v;
      }
    }
    return 0;
  }

  /** The columns of {@code xs} that vary. */
  private static List<Integer> varyingColumns(double[][] xs) {
    List<Integer> varying = new ArrayList<>();
    for (int j = 0; j < xs[0].length; j++) {
      final int col = j;
      if (spread(Arrays.stream(xs).mapToDouble(r -> r[col]).toArray()) > 1e-9) {
        varying.add(j);
      }
    }
    return varying;
  }

  /** Fits one component's scaling model for target {@code t}; see {@link #fitXY}. */
  static LinearModel fitLinear(List<Example> rows, Target t) {
    double[][] x = rows.stream().map(Example::scaling).toArray(double[][]::new);
    double[] y = rows.stream().mapToDouble(e -> e.logLabel().get(t)).toArray();
    return fitXY(x, y);
  }

  /** The ridge penalty of the scaling models, as MLlib's {@code regParam}. */
  static final double SCALING_REG_PARAM = 0.01;

  /**
   * Fits {@code y ~ x} with the estimator of MLlib's {@code LinearRegression} (normal solver,
   * {@code regParam} {@link #SCALING_REG_PARAM}, no elastic net, standardization on): least squares
   * with an intercept and the ridge penalty {@code regParam / sd(y) * sum_j var(x_j) b_j^2 / 2}, in
   * population moments, as MLlib's {@code WeightedLeastSquares} defines it. The normal equations of
   * these two or three columns are solved here in closed form: the same coefficients as MLlib's
   * (ForecasterTest checks it against MLlib to 1e-9), without the Spark job per component and
   * target that made training time grow with the number of components.
   *
   * <p>Columns of {@code x} that do not vary (the executor shape, usually) get a zero coefficient;
   * a {@code y} that does not vary gives a constant model, as MLlib does.
   */
  static LinearModel fitXY(double[][] xs, double[] labels) {
    int width = xs[0].length;
    int n = xs.length;
    List<Integer> varying = varyingColumns(xs);
    double meanY = Arrays.stream(labels).average().orElse(0);
    if (varying.isEmpty() || spread(labels) <= 1e-9) {
      return new LinearModel(meanY, new double[width]);
    }
    int k = varying.size();
    double[] meanX = new double[k];
    for (double[] row : xs) {
      for (int j = 0; j < k; j++) {
        meanX[j] += row[varying.get(j)] / n;
      }
    }
    double[][] a = new double[k][k + 1]; // covariance | covariance with y
    double varY = 0;
    double[] d = new double[k];
    for (int i = 0; i < n; i++) {
      double dy = labels[i] - meanY;
      varY += dy * dy / n;
      for (int j = 0; j < k; j++) {
        d[j] = xs[i][varying.get(j)] - meanX[j];
      }
      for (int j = 0; j < k; j++) {
        for (int l = 0; l < k; l++) {
          a[j][l] += d[j] * d[l] / n;
        }
        a[j][k] += d[j] * dy / n;
      }
    }
    double penalty = SCALING_REG_PARAM / Math.sqrt(varY);
    for (int j = 0; j < k; j++) {
      a[j][j] *= 1 + penalty;
    }
    double[] fitted = solve(a);
    double[] coefficients = new double[width];
    double intercept = meanY;
    for (int j = 0; j < k; j++) {
      coefficients[varying.get(j)] = fitted[j];
      intercept -= fitted[j] * meanX[j];
    }
    return new LinearModel(intercept, coefficients);
  }

  /** Solves the augmented system {@code a = [M | v]} by elimination with partial pivoting. */
  private static double[] solve(double[][] a) {
    int k = a.length;
    for (int c = 0; c < k; c++) {
      int pivot = c;
      for (int r = c + 1; r < k; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] tmp = a[c];
      a[c] = a[pivot];
      a[pivot] = tmp;
      for (int r = c + 1; r < k; r++) {
        double f = a[r][c] / a[c][c];
        for (int l = c; l <= k; l++) {
          a[r][l] -= f * a[c][l];
        }
      }
    }
    double[] x = new double[k];
    for (int r = k - 1; r >= 0; r--) {
      double v = a[r][k];
      for (int l = r + 1; l < k; l++) {
        v -= a[r][l] * x[l];
      }
      x[r] = v / a[r][r];
    }
    return x;
  }

  /** Ernest-style job-level models of wall-clock and core-seconds, for jobs with enough runs. */
  private Map<String, JobTemplate> withJobScaling(
      Map<String, JobTemplate> jobs, List<AppRun> runs) {
    Map<String, List<AppRun>> byKey = new LinkedHashMap<>();
    for (AppRun r : runs) {
      byKey.computeIfAbsent(r.jobKey(), k -> new ArrayList<>()).add(r);
    }
    Map<String, double[][]> xs = new TreeMap<>();
    Map<String, Map<String, double[]>> ys = new TreeMap<>(); // total -> job -> log labels
    for (String key : jobs.keySet()) {
      // The job's CPU laws: runs on GPU executors took other times.
      List<AppRun> rs =
          byKey.getOrDefault(key, List.of()).stream().filter(r -> !r.onGpu()).toList();
      if (rs.size() < options.minRuns()) {
        continue;
      }
      xs.put(key, rs.stream().map(r -> Features.scaling(r.context())).toArray(double[][]::new));
      ys.computeIfAbsent(JobTemplate.WALL_CLOCK, k -> new TreeMap<>())
          .put(
              key,
              rs.stream().mapToDouble(r -> JobTemplate.toLog(r.wallClockMs() / 1000.0)).toArray());
      ys.computeIfAbsent(JobTemplate.CORE_SECONDS, k -> new TreeMap<>())
          .put(
              key,
              rs.stream()
                  .mapToDouble(
                      r ->
                          JobTemplate.toLog(
                              r.stages().stream().mapToLong(StageRow::executorRunTimeMs).sum()
                                  / 1000.0))
                  .toArray());
    }
    Map<String, Map<String, ScalingModel>> models = new TreeMap<>(); // job -> total -> model
    Map<String, Map<String, JobCalibration>> calibrations = new TreeMap<>();
    for (Map.Entry<String, Map<String, double[]>> total : ys.entrySet()) {
      Map<String, RawFit> fits = new TreeMap<>();
      total.getValue().forEach((key, y) -> fits.put(key, fitScalingModel(xs.get(key), y)));
      withPooledSpread(fits)
          .forEach(
              (key, m) -> models.computeIfAbsent(key, k -> new TreeMap<>()).put(total.getKey(), m));
      calibrateJobs(
              xs,
              total.getValue(),
              pooledVariance(fits.values()),
              options.quantile(),
              options.minRuns())
          .forEach(
              (key, c) ->
                  calibrations.computeIfAbsent(key, k -> new TreeMap<>()).put(total.getKey(), c));
    }
    Map<String, JobTemplate> out = new TreeMap<>();
    for (Map.Entry<String, JobTemplate> e : jobs.entrySet()) {
      Map<String, ScalingModel> m = models.get(e.getKey());
      out.put(
          e.getKey(),
          m == null
              ? e.getValue()
              : e.getValue().withScaling(m, calibrations.getOrDefault(e.getKey(), Map.of())));
    }
    return out;
  }

  /** How many of a job's newest runs the calibration of its totals' bounds scores. */
  static final int JOB_CALIBRATION_RUNS = 50;

  /**
   * The conformal calibration of one job-level total for each job: each of the job's newest {@value
   * #JOB_CALIBRATION_RUNS} runs after its first {@code minRuns} is predicted by the job model
   * fitted on the runs before it (rolling origin, as the job will be predicted), and its log
   * residual is divided by that model's {@link ScalingModel#width} there (its spread shrunk towards
   * {@code pooledVariance}, the spread of all jobs' models of this total). A job with {@link
   * #minimumJobScores} such scores is calibrated on its own; another (even one with no score of its
   * own yet) on the scores of every job together; when even all jobs together have too few, none is
   * (the bounds are then built from the stage bounds).
   *
   * @param xs each job's scaling features, oldest run first
   * @param ys each job's log labels of the total, same order
   */
  static Map<String, JobCalibration> calibrateJobs(
      Map<String, double[][]> xs,
      Map<String, double[]> ys,
      double pooledVariance,
      double level,
      int minRuns) {
    Map<String, double[][]> scores = new TreeMap<>(); // job -> {residuals, widths}
    List<Double> allResiduals = new ArrayList<>();
    List<Double> allWidths = new ArrayList<>();
    for (Map.Entry<String, double[]> e : ys.entrySet()) {
      double[][] x = xs.get(e.getKey());
      double[] y = e.getValue();
      int from = Math.max(Math.max(1, minRuns), y.length - JOB_CALIBRATION_RUNS);
      if (from >= y.length) {
        continue;
      }
      double[] residuals = new double[y.length - from];
      double[] widths = new double[residuals.length];
      for (int i = from; i < y.length; i++) {
        RawFit f = fitScalingModel(Arrays.copyOf(x, i), Arrays.copyOf(y, i));
        ScalingModel m = f.model().withResidualSd(shrunkSd(f, pooledVariance));
        residuals[i - from] = y[i] - m.predict(x[i]);
        widths[i - from] = m.width(x[i]);
        allResiduals.add(residuals[i - from]);
        allWidths.add(widths[i - from]);
      }
      scores.put(e.getKey(), new double[][] {residuals, widths});
    }
    int enough = minimumJobScores(level);
    Calibration pooled =
        Conformal.calibrateNormalised(toArray(allResiduals), toArray(allWidths), level);
    Map<String, JobCalibration> out = new TreeMap<>();
    for (String key : ys.keySet()) {
      double[][] own = scores.get(key);
      if (own != null && own[0].length >= enough) {
        out.put(
            key, new JobCalibration(Conformal.calibrateNormalised(own[0], own[1], level), true, 1));
      } else if (allResiduals.size() >= enough) {
        out.put(key, new JobCalibration(pooled, false, scores.size()));
      }
    }
    return out;
  }

  /**
   * The fewest scores a job-level calibration is taken from: enough that the quantile at {@code
   * level} is not their largest ({@code ceil((n + 1) level) < n}; 39 at 95 %). With fewer, a finite
   * quantile exists from {@link Conformal#minimumResiduals} (19) on, but it is the largest score:
   * on the generated histories, one volume spike among 20–33 rolling scores then set every later
   * bound (54.9 % median over-provision) while the runs before it got bounds too narrow to cover
   * them (13 of 16 covered, against 15 of 16 by the stage bounds: docs/FORECAST-QUALITY.md).
   */
  static int minimumJobScores(double level) {
    int n = Conformal.minimumResiduals(level);
    while (Math.ceil((n + 1) * level - 1e-9) >= n) {
      n++;
    }
    return n;
  }

  private static List<Example> measured(List<Example> rows, Target t) {
    return rows.stream().filter(e -> !Double.isNaN(e.logLabel().get(t))).toList();
  }

  private static double spread(double[] xs) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : xs) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return max - min;
  }

  static StructType schema() {
    return new StructType()
        .add("features", SQLDataTypes.VectorType(), false)
        .add("label", DataTypes.DoubleType, false);
  }

  private static double[] toArray(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static boolean[] flags(List<Boolean> xs) {
    boolean[] out = new boolean[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i);
    }
    return out;
  }

  /** Mean absolute percentage error implied by log residuals, in percent; NaN when none. */
  static double mape(List<Double> logResiduals) {
    return logResiduals.isEmpty()
        ? Double.NaN
        : 100
            * logResiduals.stream()
                .mapToDouble(r -> Math.abs(Math.exp(-r) - 1))
                .average()
                .orElse(0);
  }

  static SeasonalModel seasonal(double[] y, int maxPeriod) {
    return y.length >= 3 ? SeasonalModel.fit(y, maxPeriod) : null;
  }

  static double median(double[] xs) {
    if (xs.length == 0) {
      return 0;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
