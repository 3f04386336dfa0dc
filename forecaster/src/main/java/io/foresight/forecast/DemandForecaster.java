package io.foresight.forecast;

import io.foresight.forecast.model.Calibration;
import io.foresight.forecast.model.ComponentModel;
import io.foresight.forecast.model.ForecastModel;
import io.foresight.forecast.model.JobCalibration;
import io.foresight.forecast.model.JobTemplate;
import io.foresight.forecast.model.JobTemplate.ComponentNode;
import io.foresight.forecast.model.MemoryEvidence;
import io.foresight.forecast.model.MllibDot;
import io.foresight.forecast.model.ScalingModel;
import io.foresight.forecast.model.SeasonalModel;
import io.foresight.forecast.model.TargetModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predicts a job's demand before it starts: the one entry point for the planner, the driver plugin
 * and the Kubernetes step. It needs no SparkSession.
 *
 * <p>It never throws out of {@link #forecast}: a missing, damaged or incompatible model, an unknown
 * job key or too little history yields a forecast with confidence {@code LOW} and a reason.
 *
 * <pre>{@code
 * DemandForecaster f = DemandForecaster.open("/data/foresight/history");
 * DemandForecast d = f.forecast(DemandRequest.of("nightly-etl").withInputGib(42));
 * if (d.actionable()) { ... d.usefulExecutors(), d.peakHeapGib().upper() ... }
 * }</pre>
 */
public final class DemandForecaster {
  private static final Logger LOG = LoggerFactory.getLogger(DemandForecaster.class);

  /** Recent absolute log error above which a prediction is LOW (about 50 %). */
  static final double LOW_ERROR = Math.log(1.5);

  /** Recent absolute log error above which a prediction is at most MEDIUM (about 25 %). */
  static final double MEDIUM_ERROR = Math.log(1.25);

  /** Recent job wall-clock error above which the model counts as stale (drift, about 30 %). */
  public static final double DRIFT_ERROR = Math.log(1.3);

  private final ForecastModel model;
  private final String problem;
  private final ModelStore store;

  /** The jobs the whole model knows ({@link #openForJob} holds one of them). */
  private final int knownJobs;

  private volatile OnlineStats.Snapshot stats;

  private DemandForecaster(ForecastModel model, String problem, ModelStore store) {
    this(model, problem, store, model == null ? 0 : model.jobs().size());
  }

  private DemandForecaster(ForecastModel model, String problem, ModelStore store, int knownJobs) {
    this.model = model;
    this.problem = problem;
    this.store = store;
    this.knownJobs = knownJobs;
    this.stats = model == null ? null : OnlineStats.Snapshot.empty(model.version());
  }

  /**
   * The latest model of the history at {@code historyPath} as far as forecasting {@code jobKey}
   * needs it: the global models, that job and its components, read from the version's parts ({@link
   * ModelStore#loadJob}), with the online statistics. Its forecasts of {@code jobKey} are those of
   * {@link #open}, while what it reads does not grow with the other jobs of the history; {@link
   * #model()} then holds only that job. A version without parts, or with a damaged one, is read
   * whole.
   */
  public static DemandForecaster openForJob(String historyPath, String jobKey) {
    return openForJob(historyPath, null, jobKey);
  }

  /**
   * As {@link #openForJob(String, String)}, reaching a history that is not local with {@code
   * hadoopConf} (the application's).
   */
  public static DemandForecaster openForJob(
      String historyPath, org.apache.hadoop.conf.Configuration hadoopConf, String jobKey) {
    return loading(() -> forJob(ModelStore.of(historyPath, hadoopConf), jobKey));
  }

  /**
   * As {@link #openForJob(String, String)}, from a {@code store} the caller already holds (so that
   * a history on a remote file system is not looked up twice).
   */
  public static DemandForecaster openForJob(ModelStore store, String jobKey) {
    return loading(() -> forJob(store, jobKey));
  }

  private static DemandForecaster forJob(ModelStore store, String jobKey) throws ModelException {
    if (store == null) {
      throw new ModelException("No model store given; expected the history's (ModelStore.of)");
    }
    MllibDot.warmUpInBackground();
    String v = store.latestVersion();
    ModelStore.JobPart part = null;
    try {
      part = jobKey == null ? null : store.loadJob(v, jobKey);
    } catch (ModelException damaged) {
      LOG.warn("Foresight reads model {} whole: {}", v, damaged.getMessage());
    }
    if (part == null) {
      return open(store, v);
    }
    DemandForecaster f = new DemandForecaster(part.model(), null, store, part.jobs());
    f.stats = OnlineStats.readJob(store, part.model().version(), jobKey);
    return f;
  }

  /** The latest model of the history at {@code historyPath}, with its online statistics. */
  public static DemandForecaster open(String historyPath) {
    return open(historyPath, null);
  }

  /** Model {@code version} (latest when null) of the history at {@code historyPath}. */
  public static DemandForecaster open(String historyPath, String version) {
    return loading(() -> open(ModelStore.of(historyPath), version));
  }

  private static DemandForecaster open(ModelStore store, String version) throws ModelException {
    // The first prediction needs MLlib's BLAS; load it beside the parse.
    MllibDot.warmUpInBackground();
    String v = version == null ? store.latestVersion() : version;
    ForecastModel m = store.load(v);
    DemandForecaster f = new DemandForecaster(m, null, store);
    f.stats = OnlineStats.read(store, m.version());
    return f;
  }

  private interface Loader {
    DemandForecaster load() throws ModelException;
  }

  /** What {@code loader} loads; a forecaster without a model, saying why, when it cannot. */
  private static DemandForecaster loading(Loader loader) {
    try {
      return loader.load();
    } catch (ModelException e) {
      LOG.warn("Foresight forecasts are unavailable: {}", e.getMessage());
      return new DemandForecaster(null, e.getMessage(), null);
    } catch (RuntimeException e) {
      LOG.warn("Foresight forecasts are unavailable: {}", e.toString());
      return new DemandForecaster(null, "Cannot load the model: " + e, null);
    }
  }

  /** A forecaster over an in-memory model, without online statistics. */
  public static DemandForecaster of(ForecastModel model) {
    return new DemandForecaster(model, null, null);
  }

  /** Why forecasts are unavailable, or null when a model is loaded. */
  public String problem() {
    return problem;
  }

  public String modelVersion() {
    return model == null ? "" : model.version();
  }

  public ForecastModel model() {
    return model;
  }

  /** Where the model and its statistics live, or null for an in-memory model. */
  public ModelStore store() {
    return store;
  }

  public OnlineStats.Snapshot stats() {
    return stats;
  }

  void useStats(OnlineStats.Snapshot s) {
    this.stats = s;
  }

  /** True when {@code jobKey}'s recent wall-clock error says the model no longer fits it. */
  public boolean drifting(String jobKey) {
    OnlineStats.Snapshot s = stats;
    OnlineStats.JobEntry e = s == null ? null : s.jobs().get(jobKey);
    return e != null && e.recentAbsLogErrors().size() >= 3 && e.recentError() > DRIFT_ERROR;
  }

  public DemandForecast forecast(DemandRequest request) {
    String key = request == null ? null : request.jobKey();
    try {
      return forecastOrThrow(request);
    } catch (RuntimeException e) {
      LOG.warn("Foresight could not forecast job {}: {}", key, e.toString());
      return DemandForecast.unavailable(key, modelVersion(), "Forecast failed: " + e);
    }
  }

  private DemandForecast forecastOrThrow(DemandRequest request) {
    if (request == null || request.jobKey() == null || request.jobKey().isBlank()) {
      return DemandForecast.unavailable(null, modelVersion(), "No job key given");
    }
    String jobKey = request.jobKey();
    if (model == null) {
      return DemandForecast.unavailable(jobKey, "", problem);
    }
    JobTemplate job = model.jobs().get(jobKey);
    if (job == null) {
      return DemandForecast.unavailable(
          jobKey,
          model.version(),
          "Unknown job key '"
              + jobKey
              + "': model "
              + model.version()
              + " knows "
              + knownJobs
              + " job(s); capture a run of it and retrain");
    }
    int cores = request.executorCores() != null ? request.executorCores() : job.executorCores();
    int executors = request.executors() != null ? request.executors() : job.executors();
    long start = request.startMs() != null ? request.startMs() : System.currentTimeMillis();
    Schedule schedule = schedule(job, start);
    Estimate input =
        request.inputGib() == null && request.listedInputGib() != null
            ? listedInput(job, request.listedInputGib())
            : inputEstimate(job, request.inputGib(), schedule.run(), start);
    if (!input.present()) {
      return DemandForecast.unavailable(jobKey, model.version(), input.reason());
    }
    RunContext ctx = new RunContext(input.point(), cores, executors, start);

    JobTemplate.PlanChoice choice = job.choosePlan(input.point());
    List<ComponentNode> dag = choice.components();
    List<StageForecast> stages = new ArrayList<>();
    Map<String, StageForecast> bySig = new HashMap<>();
    for (ComponentNode node : dag) {
      StageForecast sf = stage(node, ctx);
      stages.add(sf);
      bySig.put(sf.signature(), sf);
    }
    double corePoint = 0;
    double coreUpper = 0;
    List<Estimate> heaps = new ArrayList<>();
    Confidence worst = Confidence.HIGH;
    double lowWork = 0;
    for (StageForecast s : stages) {
      Estimate w = s.get(Target.EXECUTOR_SECONDS);
      Estimate h = s.get(Target.PEAK_HEAP_GIB);
      corePoint += meanPoint(s.signature(), Target.EXECUTOR_SECONDS, w);
      coreUpper += w.upper();
      heaps.add(h);
      if (w.confidence() == Confidence.LOW) {
        lowWork += w.point();
      }
      worst = worse(worst, w.confidence());
    }
    double overhead = job.overheadSeconds();
    double pathPoint =
        overhead
            + CriticalPath.length(
                dag, n -> bySig.get(n.signature()).get(Target.STAGE_SECONDS).point());
    double wallUpper =
        overhead
            + CriticalPath.length(
                dag, n -> bySig.get(n.signature()).get(Target.STAGE_SECONDS).upper());
    // A job-level scaling model, when the job has one, predicts the job's own totals better than
    // the sum of its noisy parts; the stage-level path then only shapes the executor curve. Its
    // bound, when its runs calibrated one, replaces the one built from the stage bounds.
    double[] x = Features.scaling(ctx);
    String wallBound = "overhead plus the critical path of the stage bounds";
    double wallPoint = pathPoint;
    ScalingModel wallModel = job.scaling().get(JobTemplate.WALL_CLOCK);
    if (wallModel != null) {
      OnlineStats.JobEntry online = stats == null ? null : stats.jobs().get(jobKey);
      double bias = online == null ? 0 : online.bias();
      double log = wallModel.predict(x);
      wallPoint = JobTemplate.fromLog(log + bias);
      // As for stages: the online bias lifts the bound but never lowers it.
      JobCalibration cal = job.calibration().get(JobTemplate.WALL_CLOCK);
      double upper = cal == null ? Double.NaN : cal.upperLog(wallModel, x, log + Math.max(0, bias));
      if (!Double.isNaN(upper)) {
        wallUpper = JobTemplate.fromLog(upper);
        wallBound = cal.describe();
      }
    }
    String coreBound = "sum of the stage bounds";
    ScalingModel coreModel = job.scaling().get(JobTemplate.CORE_SECONDS);
    if (coreModel != null) {
      // The job model's total, moved by what the online statistics moved its components by.
      double raw = 0;
      for (StageForecast s : stages) {
        double f = rawLogPrediction(s.signature(), Target.EXECUTOR_SECONDS, ctx);
        raw += Double.isNaN(f) ? 0 : Target.EXECUTOR_SECONDS.fromLog(f);
      }
      double online = raw > 0 ? corePoint / raw : 1;
      double log = coreModel.predict(x);
      corePoint = JobTemplate.fromLog(log) * online;
      JobCalibration cal = job.calibration().get(JobTemplate.CORE_SECONDS);
      double upper = cal == null ? Double.NaN : cal.upperLog(coreModel, x, log);
      if (!Double.isNaN(upper)) {
        coreUpper = JobTemplate.fromLog(upper) * Math.max(1, online);
        coreBound = cal.describe();
      }
    }
    coreUpper = Math.max(coreUpper, corePoint);
    wallUpper = Math.max(wallUpper, wallPoint);
    SortedMap<Integer, Double> byExecutors = new TreeMap<>();
    SlotRange unpaid = slotsThatDidNotPay(job, wallModel, ctx);
    int cap = unpaid == null ? 0 : Math.max(1, (unpaid.fewest() + cores - 1) / cores);
    int useful = usefulExecutors(job, dag, bySig, ctx, byExecutors, cap);
    String usefulReason = "";
    if (cap > 0 && cap < useful) {
      useful = cap;
      usefulReason =
          "runs with "
              + unpaid.most()
              + " task slots were no faster than runs with "
              + unpaid.fewest();
      // Past the slots that paid, the job's runs were no faster: the curve stays flat there.
      double atCap = byExecutors.get(cap);
      byExecutors.replaceAll((e, w) -> e > cap ? Math.max(w, atCap) : w);
    }
    double curveScale = pathPoint > 0 ? wallPoint / pathPoint : 1;
    byExecutors.replaceAll((e, w) -> w * curveScale);

    Confidence jobConfidence;
    String reason;
    if (job.runs() < model.minRuns()) {
      jobConfidence = Confidence.LOW;
      reason =
          "Job '" + jobKey + "' has " + job.runs() + " run(s); " + model.minRuns() + " are needed";
    } else if (drifting(jobKey)) {
      jobConfidence = Confidence.LOW;
      reason = "Recent wall-clock error of job '" + jobKey + "' is high: the model is stale";
    } else if (corePoint > 0 && lowWork > 0.2 * corePoint) {
      jobConfidence = Confidence.LOW;
      reason = "Components with too little history carry over 20 % of the predicted work";
    } else {
      jobConfidence = worst == Confidence.LOW ? Confidence.MEDIUM : worst;
      reason = "";
    }
    if (input.confidence() == Confidence.LOW && jobConfidence != Confidence.LOW) {
      jobConfidence = Confidence.LOW;
      reason = input.reason();
    }
    Calibration any = model.target(Target.STAGE_SECONDS).componentCalibration();
    boolean bounded = Double.isFinite(wallUpper) && Double.isFinite(coreUpper);
    if (!bounded && jobConfidence != Confidence.LOW) {
      jobConfidence = Confidence.LOW;
      reason = "No calibrated upper bound (too few held-out runs: " + any.n() + ")";
    }
    double[] heap = largest(heaps);
    return new DemandForecast(
        jobKey,
        model.version(),
        jobConfidence,
        reason,
        cores,
        executors,
        input,
        nextStart(job, schedule),
        stages,
        new Estimate(corePoint, coreUpper, jobConfidence, reason),
        coreBound,
        new Estimate(wallPoint, wallUpper, jobConfidence, reason),
        wallBound,
        byExecutors,
        useful,
        usefulReason,
        new Estimate(heap[0], heap[1], jobConfidence, reason),
        describe(choice, job.plans().size()));
  }

  private static String describe(JobTemplate.PlanChoice choice, int plans) {
    if (choice.plan() < 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "plan %d of the %d stage DAGs the job ran: that of most of the runs nearest in input"
            + " volume (%s GiB)",
        choice.plan() + 1,
        plans,
        String.join(
            ", ",
            choice.neighbourGib().stream()
                .map(g -> String.format(Locale.ROOT, "%.3g", g))
                .toList()));
  }

  private static Confidence worse(Confidence a, Confidence b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /**
   * At most this many runs are laid out after the last one a model was trained on: a job whose runs
   * came minutes apart (attempts of one application), asked about years later, is not laid out run
   * by run.
   */
  static final int MAX_RUNS_AHEAD = 10_000;

  /**
   * Where a start time falls among a job's coming runs, as the seasonal model of the time between
   * its runs lays them out after the last run the model was trained on (step 1 is the run after
   * it). A model is used for many runs between two trainings; its forecasts of the input volume and
   * of the next start are for the run at hand, not for the one after training.
   *
   * @param run the step of the forecast run nearest to the start time (at most half a gap before
   *     it): the run a request at that time is taken to be
   * @param next the step of the first forecast run after the start time; 0 when the runs cannot be
   *     laid out (fewer than two runs)
   * @param nextMs that run's forecast start
   * @param nextSpreadMs the one-run spread of its gap at the model's quantile
   */
  record Schedule(int run, int next, long nextMs, long nextSpreadMs) {
    static final Schedule UNKNOWN = new Schedule(1, 0, 0, 0);
  }

  private Schedule schedule(JobTemplate job, long startMs) {
    List<Long> starts = job.runStartsMs();
    if (starts.isEmpty()) {
      return Schedule.UNKNOWN;
    }
    SeasonalModel m = job.intervalModel();
    double usualGapS = m == null ? medianGapSeconds(starts) : Double.NaN;
    if (m == null && !(usualGapS > 0)) {
      return Schedule.UNKNOWN;
    }
    IntToDoubleFunction gapMs = m == null ? h -> gapMs(usualGapS) : h -> gapMs(m.point(h));
    // Past the fitted series the trend is carried no further, and the gaps repeat with the
    // season: seasons far from the start are stepped over at once, not run by run.
    int steadyFrom = m == null ? 1 : m.n() + 1;
    int season = m == null ? 1 : Math.max(1, m.period());
    boolean steppedOver = false;
    double t = starts.get(starts.size() - 1);
    int run = 0;
    for (int h = 1; h <= MAX_RUNS_AHEAD; h++) {
      if (!steppedOver && h >= steadyFrom) {
        steppedOver = true;
        double seasonMs = 0;
        for (int k = 0; k < season; k++) {
          seasonMs += gapMs.applyAsDouble(h + k);
        }
        long seasons =
            Math.min((long) ((startMs - t) / seasonMs) - 1, (MAX_RUNS_AHEAD - h) / season);
        if (seasons > 0) {
          t += seasons * seasonMs;
          h += (int) seasons * season;
        }
      }
      double gap = gapMs.applyAsDouble(h);
      t += gap;
      if (run == 0 && t >= startMs - gap / 2) {
        run = h;
      }
      if (t > startMs) {
        long spreadMs = 0;
        if (m != null) {
          SeasonalModel.Forecast f = m.forecast(h, model.quantile());
          spreadMs = (long) (Math.max(0, f.upper() - f.point()) * 1000);
        }
        return new Schedule(run, h, (long) t, spreadMs);
      }
    }
    return new Schedule(MAX_RUNS_AHEAD, 0, 0, 0);
  }

  /** A forecast gap in ms; below a second is no schedule to lay runs out by. */
  private static double gapMs(double seconds) {
    return (seconds > 1 ? seconds : 1) * 1000;
  }

  private static double medianGapSeconds(List<Long> starts) {
    if (starts.size() < 2) {
      return Double.NaN;
    }
    // a rerun of a date (the same start) is no gap between runs
    double[] gaps =
        java.util.stream.IntStream.range(1, starts.size())
            .mapToDouble(i -> (starts.get(i) - starts.get(i - 1)) / 1000.0)
            .filter(g -> g > 0)
            .toArray();
    return gaps.length == 0 ? Double.NaN : ForecastTrainer.median(gaps);
  }

  private static String ahead(int run) {
    if (run <= 1) {
      return "";
    }
    return run >= MAX_RUNS_AHEAD
        ? " (the start is over "
            + MAX_RUNS_AHEAD
            + " of the job's gaps after the last run trained on)"
        : " (" + run + " runs after the model's last)";
  }

  /**
   * The volume of a run whose input paths hold {@code listedGib}: what the job's runs read per
   * listed byte times it (a job scanning a table twice reads twice its size, one pruning partitions
   * less), with the largest such ratio for the bound; the listing as it is when no run of the job
   * listed its input.
   */
  private static Estimate listedInput(JobTemplate job, double listedGib) {
    if (!(listedGib >= 0) || Double.isInfinite(listedGib)) {
      return Estimate.none("Listed input must be a finite number of GiB >= 0, got " + listedGib);
    }
    JobTemplate.VolumePerListed ratio = job.volumePerListed();
    if (ratio == null) {
      return new Estimate(
          listedGib,
          listedGib,
          Confidence.MEDIUM,
          "listed input, taken as the volume: no earlier run of the job listed its input");
    }
    return new Estimate(
        listedGib * ratio.median(),
        listedGib * ratio.max(),
        ratio.runs() >= 3 ? Confidence.HIGH : Confidence.MEDIUM,
        String.format(
            Locale.ROOT,
            "listed input %.3g GiB x %.3g: what the job's last %d run(s) that listed their"
                + " input read per listed byte",
            listedGib,
            ratio.median(),
            ratio.runs()));
  }

  private Estimate inputEstimate(JobTemplate job, Double given, int run, long startMs) {
    if (given != null) {
      if (!(given >= 0) || given.isInfinite()) {
        return Estimate.none("Input volume must be a finite number of GiB >= 0, got " + given);
      }
      return new Estimate(given, given, Confidence.HIGH, "given");
    }
    SeasonalModel m = job.volumeModel();
    int earlier = rerunOf(job, startMs);
    if (earlier >= 0) {
      double v = job.inputGib().get(earlier);
      // a date's input can still grow after its first run: the one-step spread bounds that
      double upper = v;
      if (m != null) {
        SeasonalModel.Forecast f = m.forecast(1, model.quantile());
        upper = (v + 1e-3) * Math.exp(Math.max(0, f.upper() - f.point())) - 1e-3;
      }
      return new Estimate(
          v,
          Math.max(v, upper),
          Confidence.MEDIUM,
          "the volume of the run at "
              + Instant.ofEpochMilli(job.runStartsMs().get(earlier))
              + " trained on: this run is a rerun or backfill of that date");
    }
    if (m == null) {
      List<Double> seen = job.inputGib();
      if (seen.isEmpty()) {
        return Estimate.none("No input volume given and no earlier run to forecast it from");
      }
      double last = seen.get(seen.size() - 1);
      return new Estimate(last, last, Confidence.LOW, "Input volume taken from the only run(s)");
    }
    SeasonalModel.Forecast f = m.forecast(run, model.quantile());
    double point = Math.max(0, Math.exp(f.point()) - 1e-3);
    double upper = Math.max(point, Math.exp(f.upper()) - 1e-3);
    return new Estimate(point, upper, Confidence.MEDIUM, "seasonal forecast" + ahead(run));
  }

  /**
   * The trained run that a run starting at {@code startMs} repeats, or -1: a start (a scheduled
   * time, as a scheduler's logical date) no later than the last run trained on and within half the
   * job's usual gap of a run's is a rerun or backfill of that run's date, which reads what it read;
   * the seasonal forecast would give it the volume of the run after the last instead.
   */
  static int rerunOf(JobTemplate job, long startMs) {
    List<Long> starts = job.runStartsMs();
    if (starts.size() < 2
        || job.inputGib().size() != starts.size()
        || startMs > starts.get(starts.size() - 1)) {
      return -1;
    }
    double halfGapMs = medianGapSeconds(starts) * 500;
    int nearest = -1;
    long best = Long.MAX_VALUE;
    for (int i = 0; i < starts.size(); i++) {
      long d = Math.abs(starts.get(i) - startMs);
      if (d <= best) { // the newest of equally near runs
        best = d;
        nearest = i;
      }
    }
    return best <= halfGapMs ? nearest : -1;
  }

  private Estimate nextStart(JobTemplate job, Schedule schedule) {
    if (job.intervalModel() == null || schedule.next() == 0) {
      return Estimate.none(
          schedule.run() >= MAX_RUNS_AHEAD
              ? "The start is over "
                  + MAX_RUNS_AHEAD
                  + " of the job's gaps after the last run trained on: no start-time forecast"
              : "Fewer than 4 runs: no start-time forecast");
    }
    return new Estimate(
        schedule.nextMs(),
        schedule.nextMs() + schedule.nextSpreadMs(),
        Confidence.MEDIUM,
        "seasonal forecast of the time between runs" + ahead(schedule.next()));
  }

  /**
   * The component's own scaling model for {@code t} when it predicts, with enough runs; null when
   * the global model predicts instead.
   */
  private ScalingModel componentModel(ComponentModel c, Target t) {
    ScalingModel lin = c.scaling().get(t.column());
    return lin != null && c.runs() >= model.minRuns() ? lin : null;
  }

  /** The model's log prediction of a component target, before the online bias; NaN if none. */
  double rawLogPrediction(String signature, Target t, RunContext ctx) {
    if (model == null) {
      return Double.NaN;
    }
    ComponentModel c = model.components().get(signature);
    if (c == null) {
      return Double.NaN;
    }
    ScalingModel lin = componentModel(c, t);
    if (lin != null) {
      return lin.predict(Features.scaling(ctx));
    }
    TargetModel tm = model.target(t);
    if (tm == null || tm.global() == null) {
      return Double.NaN;
    }
    return tm.global().predict(Features.global(c, t, ctx, c.lagLogPerInput().get(t.column())));
  }

  /**
   * A component's expected value of {@code t} (mean model and online bias, without the point's
   * shift towards where runs usually land), which sums to a job's expected total; {@code e}'s point
   * when the component has no own model.
   */
  private double meanPoint(String signature, Target t, Estimate e) {
    ComponentModel c = model.components().get(signature);
    ScalingModel lin = c == null ? null : componentModel(c, t);
    if (lin == null || lin.pointShift() == 0 || !e.present()) {
      return e.point();
    }
    return t.fromLog(t.toLog(e.point()) - lin.pointShift());
  }

  /**
   * The standard deviation of a component target's log residual at {@code ctx}: a component model's
   * {@link ScalingModel#width}, or the global model's held-out error; NaN when not known.
   */
  double residualNoise(String signature, Target t, RunContext ctx) {
    ComponentModel c = model == null ? null : model.components().get(signature);
    if (c == null) {
      return Double.NaN;
    }
    ScalingModel lin = componentModel(c, t);
    if (lin != null) {
      return lin.residualSd() > 0 ? lin.width(Features.scaling(ctx)) : Double.NaN;
    }
    TargetModel tm = model.target(t);
    Calibration g = tm == null ? null : tm.globalCalibration();
    // The mean absolute value of a normal residual is sd * sqrt(2 / pi).
    return g != null && g.n() > 0 && g.meanAbsLogError() > 0
        ? g.meanAbsLogError() * Math.sqrt(Math.PI / 2)
        : Double.NaN;
  }

  private StageForecast stage(ComponentNode node, RunContext ctx) {
    ComponentModel c = model.components().get(node.signature());
    Map<Target, Estimate> est = new EnumMap<>(Target.class);
    if (c == null) {
      for (Target t : Target.values()) {
        est.put(t, Estimate.none("Component " + node.signature() + " is not in the model"));
      }
      return new StageForecast(node.signature(), "", node.parents(), 0, "none", est, null, 0, 0);
    }
    String kind = "global";
    for (Target t : Target.values()) {
      ScalingModel lin = componentModel(c, t);
      TargetModel tm = model.target(t);
      boolean component = lin != null;
      if (component) {
        kind = "component";
      }
      double f = rawLogPrediction(node.signature(), t, ctx);
      if (Double.isNaN(f)) {
        est.put(t, Estimate.none("No model for " + t.column() + " (too little training data)"));
        continue;
      }
      Calibration cal = component ? tm.componentCalibration() : tm.globalCalibration();
      OnlineStats.Entry online = stats == null ? null : stats.component(node.signature(), t);
      double bias = online == null ? 0 : online.bias();
      double recentError = online == null ? Double.NaN : online.meanAbs();
      // The point is where a run usually lands (least relative error); the mean model stays what
      // the bias, the bound and the job's totals build on.
      double point = t.fromLog(f + bias + (component ? lin.pointShift() : 0));
      // A component model's quantile is in units of its expected error at this run's input. The
      // online bias moves the point both ways but only lifts the bound: the calibration never saw
      // it, and a few runs below the model are no reason to narrow a calibrated bound.
      double offset =
          component ? cal.componentOffset(lin, Features.scaling(ctx)) : cal.quantileLog();
      double upper = cal.usable() ? t.upperFromLog(f + Math.max(0, bias) + offset) : Double.NaN;
      Confidence conf;
      String reason;
      if (c.runs() < model.minRuns()) {
        conf = Confidence.LOW;
        reason = "Stage has " + c.runs() + " run(s); " + model.minRuns() + " are needed";
      } else if (!cal.usable()) {
        conf = Confidence.LOW;
        reason = "No calibrated bound (" + cal.n() + " held-out residuals)";
      } else if (recentError > LOW_ERROR) {
        conf = Confidence.LOW;
        reason = "Recent error is high";
      } else if (!component || recentError > MEDIUM_ERROR) {
        conf = Confidence.MEDIUM;
        reason = component ? "Recent error is moderate" : "Global model";
      } else {
        conf = Confidence.HIGH;
        reason = "";
      }
      est.put(t, new Estimate(point, upper, conf, reason));
    }
    return new StageForecast(
        node.signature(),
        c.name(),
        node.parents(),
        c.shape().numTasks(),
        kind,
        est,
        c.shape(),
        c.gpuSpeedup(),
        memoryCeiling(c, ctx));
  }

  /**
   * The memory per core the component's runs proved enough at this run's input: the model's
   * evidence followed by what the online statistics saw since; 0 when none.
   */
  double memoryCeiling(ComponentModel c, RunContext ctx) {
    MemoryEvidence online = stats == null ? null : stats.memory(c.signature());
    return c.memoryEvidence().then(online).ceilingMibPerCore(ctx.inputGib());
  }

  /**
   * Wall-clock by executor count, each component taking {@code a + W / min(slots, tasks)}: its
   * predicted work {@code W} spread over the slots it can use, plus the serial part {@code a} that
   * its predicted duration at the planned slots implies. {@code out} gets the curve at powers of
   * two, at the requested count, at the largest useful count and at {@code alsoAt} (0: none).
   * Without a work and duration estimate for every component there is no curve: 0, and {@code out}
   * stays empty.
   */
  private int usefulExecutors(
      JobTemplate job,
      List<ComponentNode> dag,
      Map<String, StageForecast> bySig,
      RunContext ctx,
      SortedMap<Integer, Double> out,
      int alsoAt) {
    int cores = ctx.executorCores();
    int maxTasks = 1;
    for (StageForecast s : bySig.values()) {
      maxTasks = Math.max(maxTasks, s.numTasks());
    }
    int maxExecutors = Math.min(2000, Math.max(ctx.executors(), (maxTasks + cores - 1) / cores));
    Map<String, double[]> workAndSerial = new HashMap<>();
    for (StageForecast s : bySig.values()) {
      double w = s.get(Target.EXECUTOR_SECONDS).point();
      double d0 = s.get(Target.STAGE_SECONDS).point();
      int tasks = Math.max(1, s.numTasks());
      double parallel0 = w / Math.min(ctx.slots(), tasks);
      workAndSerial.put(s.signature(), new double[] {w, Math.max(0, d0 - parallel0), tasks});
    }
    double best = wallAt(job, dag, workAndSerial, maxExecutors * cores);
    if (!Double.isFinite(best)) {
      return 0; // a component without a work or duration estimate: no curve to read it from
    }
    int useful = maxExecutors;
    for (int e = maxExecutors; e >= 1; e--) {
      double wall = wallAt(job, dag, workAndSerial, e * cores);
      if (wall <= best * 1.05) {
        useful = e;
      }
      if (e == ctx.executors() || e == alsoAt || Integer.bitCount(e) == 1 || e == maxExecutors) {
        out.put(e, wall);
      }
    }
    return useful;
  }

  /**
   * The largest point and the largest upper bound of {@code stages}' estimates, for the job's peak
   * heap. A stage with a point but no bound counts with its point, so that one stage without a
   * calibrated bound does not leave the job without one; a stage without a point does not count.
   * NaN and NaN when no stage has a point.
   */
  static double[] largest(List<Estimate> stages) {
    double point = Double.NaN;
    double upper = Double.NaN;
    for (Estimate e : stages) {
      if (!Double.isFinite(e.point())) {
        continue;
      }
      double u = Double.isFinite(e.upper()) ? Math.max(e.upper(), e.point()) : e.point();
      point = Double.isNaN(point) ? e.point() : Math.max(point, e.point());
      upper = Double.isNaN(upper) ? u : Math.max(upper, u);
    }
    return new double[] {point, upper};
  }

  /** The fewest and the most task slots a job's runs had. */
  record SlotRange(int fewest, int most) {}

  /**
   * The job's slot range when its own runs say that the extra slots did not pay; null otherwise.
   *
   * <p>The stage DAG gives the parallelism the job could use if every slot were a real core. The
   * job-level wall-clock model, fitted on input volume and task slots, says what more slots did for
   * this job: when, at this run's input, it predicts the most slots the job ran with to be less
   * than 5 % faster than the fewest, more slots did not pay (an over-committed host, a job bound by
   * its driver or by one partition), and the DAG's parallelism is not to be believed beyond the
   * fewest. Past the measured range nothing is known, so nothing is capped; nor with fewer than two
   * runs at the fewest slots and two with more.
   */
  static SlotRange slotsThatDidNotPay(JobTemplate job, ScalingModel wall, RunContext ctx) {
    List<Integer> slots = job.slots().stream().filter(n -> n > 0).toList();
    if (wall == null || slots.isEmpty()) {
      return null;
    }
    int fewest = slots.stream().mapToInt(Integer::intValue).min().orElseThrow();
    int most = slots.stream().mapToInt(Integer::intValue).max().orElseThrow();
    long atFewest = slots.stream().filter(n -> n == fewest).count();
    if (most == fewest || atFewest < 2 || slots.size() - atFewest < 2) {
      return null;
    }
    double wallFewest = wallAtSlots(wall, ctx, fewest);
    double wallMost = wallAtSlots(wall, ctx, most);
    return wallMost > 0.95 * wallFewest ? new SlotRange(fewest, most) : null;
  }

  private static double wallAtSlots(ScalingModel wall, RunContext ctx, int slots) {
    return JobTemplate.fromLog(
        wall.predict(Features.scaling(new RunContext(ctx.inputGib(), 1, slots, ctx.startMs()))));
  }

  private static double wallAt(
      JobTemplate job, List<ComponentNode> dag, Map<String, double[]> ws, int slots) {
    return job.overheadSeconds()
        + CriticalPath.length(
            dag,
            n -> {
              double[] v = ws.get(n.signature());
              return v == null ? 0 : v[1] + v[0] / Math.min(slots, v[2]);
            });
  }
}
