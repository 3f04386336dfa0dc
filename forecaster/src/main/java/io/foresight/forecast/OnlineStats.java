package io.foresight.forecast;

import io.foresight.forecast.model.MemoryEvidence;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-component error statistics updated after every captured application, with no Spark job: the
 * exponentially weighted bias and absolute error of each component's log prediction, and each job's
 * recent wall-clock errors. The next prediction subtracts the bias, so it already reflects the last
 * run; a job whose recent error is high is reported as drifting (its model is stale). Also what
 * each component's runs showed about executor memory since training ({@link MemoryEvidence}), so
 * that a run short of memory at a size the model held as proven lifts that ceiling at once.
 *
 * <p>Kept per model version (training a new version starts from zero), one file per job: {@code
 * <history>/models/online-stats/<hash of the job key>.json}, which holds what that job's runs
 * folded. A driver reads and updates its job's file only, so what it reads does not grow with the
 * history's other jobs; the CLI reads them all. An update takes the job file's lock, so concurrent
 * drivers do not lose each other's. Foresight versions before wrote one file for all jobs ({@code
 * online-stats.json}); it is still read, under the job files, and training a new version deletes
 * it.
 */
public final class OnlineStats {
  /** The one file of all jobs, as Foresight versions before job files wrote it. */
  static final String FILE = "online-stats.json";

  /** The folder of the job files. */
  static final String DIR = "online-stats";

  static final double WEIGHT = 0.5;
  static final int JOB_WINDOW = 5;
  static final int REMEMBERED_APPS = 2000;

  /**
   * One component and target. {@code bias} and {@code meanAbs} are in log space; {@code variance}
   * is the uncertainty of {@code bias} (log units squared; 0 in files written before it).
   */
  public record Entry(int n, double bias, double meanAbs, long updatedMs, double variance) {}

  /** How far a component's bias may move between two runs, in log units (a standard deviation). */
  static final double DRIFT_PER_RUN = 0.05;

  /**
   * One job key: absolute log errors of recent wall-clock predictions, newest last, and the
   * exponentially weighted log bias of the job-level wall-clock model.
   */
  public record JobEntry(List<Double> recentAbsLogErrors, double bias, long updatedMs) {
    public double recentError() {
      return recentAbsLogErrors.isEmpty()
          ? 0
          : recentAbsLogErrors.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
  }

  /**
   * The stored statistics. {@code memory} is, per component signature, what the runs since training
   * showed about executor memory (null in files written before it).
   */
  public record Snapshot(
      String modelVersion,
      Map<String, Entry> components,
      Map<String, JobEntry> jobs,
      List<String> appliedApps,
      Map<String, MemoryEvidence> memory) {
    public static Snapshot empty(String modelVersion) {
      return new Snapshot(
          modelVersion, new TreeMap<>(), new TreeMap<>(), new ArrayList<>(), new TreeMap<>());
    }

    public Entry component(String signature, Target target) {
      return components.get(key(signature, target));
    }

    /** What the runs since training showed about the component's memory; null when nothing. */
    public MemoryEvidence memory(String signature) {
      return memory == null ? null : memory.get(signature);
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OnlineStats.class);

  private OnlineStats() {}

  static String key(String signature, Target target) {
    return signature + "|" + target.column();
  }

  /**
   * The statistics of all jobs for {@code modelVersion}: the job files over the one file of older
   * versions, an entry two jobs share taken from the newer update; empty when none were kept. An
   * unreadable file counts as empty, with a warning.
   */
  public static Snapshot read(ModelStore store, String modelVersion) {
    ModelFiles files = store.files();
    List<Snapshot> layers = new ArrayList<>();
    layers.add(readFile(files, FILE, modelVersion));
    try {
      for (String name : files.list(DIR)) {
        if (name.endsWith(".json")) {
          layers.add(readFile(files, DIR + "/" + name, modelVersion));
        }
      }
    } catch (IOException e) {
      LOG.warn(
          "Foresight: cannot list {} ({}); its statistics are left out",
          files.describe(DIR),
          e.toString());
    }
    return merge(layers, true);
  }

  /**
   * The statistics that {@code jobKey}'s runs folded for {@code modelVersion}; see {@link #read}.
   */
  public static Snapshot readJob(ModelStore store, String modelVersion, String jobKey) {
    ModelFiles files = store.files();
    return merge(
        List.of(
            readFile(files, FILE, modelVersion), readFile(files, jobFile(jobKey), modelVersion)),
        false);
  }

  /** The job's statistics file, relative to the model folder. */
  static String jobFile(String jobKey) {
    return DIR + "/" + ModelStore.jobFileName(jobKey);
  }

  private static Snapshot readFile(ModelFiles files, String file, String modelVersion) {
    try {
      Snapshot s = ModelJson.read(files.read(file), Snapshot.class);
      if (s == null || !modelVersion.equals(s.modelVersion())) {
        return Snapshot.empty(modelVersion);
      }
      return withDefaults(s);
    } catch (NoSuchFileException e) {
      return Snapshot.empty(modelVersion);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Foresight: ignoring unreadable online statistics {} ({}); they start again from zero",
          files.describe(file),
          e.toString());
      return Snapshot.empty(modelVersion);
    }
  }

  private static Snapshot withDefaults(Snapshot s) {
    return new Snapshot(
        s.modelVersion(),
        s.components() == null ? new TreeMap<>() : s.components(),
        s.jobs() == null ? new TreeMap<>() : s.jobs(),
        s.appliedApps() == null ? new ArrayList<>() : s.appliedApps(),
        s.memory() == null ? new TreeMap<>() : s.memory());
  }

  /**
   * {@code layers} laid one on the other, in order: an entry of several is the last one's, or with
   * {@code newestWins} the one updated latest; the applied applications of all. Version: the last
   * layer's.
   */
  static Snapshot merge(List<Snapshot> layers, boolean newestWins) {
    Map<String, Entry> comps = new TreeMap<>();
    Map<String, JobEntry> jobs = new TreeMap<>();
    java.util.LinkedHashSet<String> applied = new java.util.LinkedHashSet<>();
    Map<String, MemoryEvidence> memory = new TreeMap<>();
    for (Snapshot layer : layers) {
      lay(comps, layer.components(), Entry::updatedMs, newestWins);
      lay(jobs, layer.jobs(), JobEntry::updatedMs, newestWins);
      applied.addAll(layer.appliedApps());
      memory.putAll(layer.memory());
    }
    return new Snapshot(
        layers.get(layers.size() - 1).modelVersion(),
        comps,
        jobs,
        new ArrayList<>(applied),
        memory);
  }

  private static <T> void lay(
      Map<String, T> into,
      Map<String, T> layer,
      java.util.function.ToLongFunction<T> updatedMs,
      boolean newestWins) {
    layer.forEach(
        (k, v) ->
            into.merge(
                k,
                v,
                (old, cur) ->
                    newestWins && updatedMs.applyAsLong(old) > updatedMs.applyAsLong(cur)
                        ? old
                        : cur));
  }

  /** What {@code s} holds that {@code base} does not hold the same: a job file's own part. */
  private static Snapshot minus(Snapshot s, Snapshot base) {
    Map<String, Entry> comps = new TreeMap<>(s.components());
    comps.entrySet().removeIf(e -> e.getValue().equals(base.components().get(e.getKey())));
    Map<String, JobEntry> jobs = new TreeMap<>(s.jobs());
    jobs.entrySet().removeIf(e -> e.getValue().equals(base.jobs().get(e.getKey())));
    List<String> applied = new ArrayList<>(s.appliedApps());
    applied.removeAll(new java.util.HashSet<>(base.appliedApps()));
    Map<String, MemoryEvidence> memory = new TreeMap<>(s.memory());
    memory.entrySet().removeIf(e -> e.getValue().equals(base.memory().get(e.getKey())));
    return new Snapshot(s.modelVersion(), comps, jobs, applied, memory);
  }

  /**
   * Folds one captured run into the statistics of {@code forecaster}'s model version, in the run's
   * job file. A run already applied is skipped. Returns the job's updated statistics; {@code
   * forecaster} uses them from now on.
   */
  public static Snapshot update(ModelStore store, DemandForecaster forecaster, AppRun run)
      throws IOException {
    String version = forecaster.modelVersion();
    ModelFiles files = store.files();
    String file = jobFile(run.jobKey());
    try (java.io.Closeable ignored = files.lock(file)) {
      Snapshot legacy = readFile(files, FILE, version);
      Snapshot s = merge(List.of(legacy, readFile(files, file, version)), false);
      if (s.appliedApps().contains(run.appId())) {
        return s;
      }
      Snapshot next = fold(s, forecaster, run);
      files.write(file, ModelStore.json().writeValueAsBytes(minus(next, legacy)));
      Snapshot mine = forecaster.stats();
      forecaster.useStats(mine == null ? next : merge(List.of(mine, next), false));
      return next;
    }
  }

  /**
   * The entry after a run whose log residual against the model was {@code residual}.
   *
   * <p>The bias is a local-level Kalman filter: the model's error on this component is a level that
   * may drift by {@link #DRIFT_PER_RUN} per run, seen through each run's own noise ({@code noise},
   * the standard deviation of a residual, from the model). A steady component's bias follows its
   * last runs closely; a noisy one's moves a little per run, so one odd run does not shift its next
   * prediction by half its noise. Without a known noise (a model written before spreads were kept)
   * the bias is an exponentially weighted mean of weight {@link #WEIGHT}.
   */
  static Entry next(Entry old, double residual, double noise, long ms) {
    double bias = old == null ? 0 : old.bias();
    double gain;
    double variance;
    if (noise > 0) {
      double prior = (old == null ? 0 : old.variance()) + DRIFT_PER_RUN * DRIFT_PER_RUN;
      gain = prior / (prior + noise * noise);
      variance = (1 - gain) * prior;
    } else {
      gain = WEIGHT;
      variance = 0;
    }
    double abs = Math.abs(residual - bias);
    return new Entry(
        old == null ? 1 : old.n() + 1,
        bias + gain * (residual - bias),
        old == null ? abs : old.meanAbs() + WEIGHT * (abs - old.meanAbs()),
        ms,
        variance);
  }

  /**
   * The statistics after {@code run}, computed against {@code forecaster}'s current predictions.
   */
  static Snapshot fold(Snapshot s, DemandForecaster forecaster, AppRun run) {
    Map<String, Entry> comps = new TreeMap<>(s.components());
    Map<String, JobEntry> jobs = new TreeMap<>(s.jobs());
    Map<String, MemoryEvidence> memory = new TreeMap<>(s.memory() == null ? Map.of() : s.memory());
    RunContext ctx = run.context();
    for (ComponentRun c : ComponentRun.of(run)) {
      // A run short of memory at the proven size lifts the ceiling before the next retraining.
      MemoryEvidence m =
          memory
              .getOrDefault(c.signature(), MemoryEvidence.NONE)
              .observe(c.memoryMibPerCore(), c.memoryPressure(), run.inputGib());
      if (m.mostMibPerCore() > 0) {
        memory.put(c.signature(), m);
      }
      for (Target t : Target.values()) {
        double raw = forecaster.rawLogPrediction(c.signature(), t, ctx);
        if (Double.isNaN(raw)) {
          continue;
        }
        double residual = t.toLog(c.cpuLabels().get(t)) - raw;
        if (Double.isNaN(residual)) {
          continue;
        }
        Entry old = comps.get(key(c.signature(), t));
        double noise = forecaster.residualNoise(c.signature(), t, ctx);
        comps.put(key(c.signature(), t), next(old, residual, noise, run.startMs()));
      }
    }
    DemandForecast predicted =
        forecaster.forecast(
            new DemandRequest(
                run.jobKey(), run.inputGib(), run.startMs(), ctx.executorCores(), ctx.executors()));
    if (predicted.wallClockSeconds().present() && run.wallClockMs() > 0 && !run.onGpu()) {
      double signed =
          io.foresight.forecast.model.JobTemplate.toLog(run.wallClockMs() / 1000.0)
              - io.foresight.forecast.model.JobTemplate.toLog(predicted.wallClockSeconds().point());
      double err = Math.abs(signed);
      JobEntry old = jobs.get(run.jobKey());
      double bias = old == null ? WEIGHT * signed : old.bias() + WEIGHT * signed;
      Deque<Double> recent = new ArrayDeque<>(old == null ? List.of() : old.recentAbsLogErrors());
      recent.addLast(err);
      while (recent.size() > JOB_WINDOW) {
        recent.removeFirst();
      }
      jobs.put(run.jobKey(), new JobEntry(new ArrayList<>(recent), bias, run.startMs()));
    }
    List<String> applied = new ArrayList<>(s.appliedApps());
    applied.add(run.appId());
    if (applied.size() > REMEMBERED_APPS) {
      applied = new ArrayList<>(applied.subList(applied.size() - REMEMBERED_APPS, applied.size()));
    }
    return new Snapshot(s.modelVersion(), comps, jobs, applied, memory);
  }
}
