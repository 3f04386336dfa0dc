package io.foresight.forecast;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.forecast.model.MemoryEvidence;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * <p>Kept in {@code <history>/models/online-stats.json}, per model version: training a new version
 * starts from zero. Updates take a file lock, so concurrent drivers do not lose each other's.
 */
public final class OnlineStats {
  static final String FILE = "online-stats.json";
  static final double WEIGHT = 0.5;
  static final int JOB_WINDOW = 5;
  static final int REMEMBERED_APPS = 2000;

  /** One component and target. {@code bias} and {@code meanAbs} are in log space. */
  public record Entry(int n, double bias, double meanAbs, long updatedMs) {}

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

  private static final ObjectMapper JSON = ModelStore.json();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OnlineStats.class);

  private OnlineStats() {}

  static String key(String signature, Target target) {
    return signature + "|" + target.column();
  }

  /** The statistics for {@code modelVersion}; empty when none were kept or they are unreadable. */
  public static Snapshot read(Path modelsDir, String modelVersion) {
    try {
      Snapshot s = ModelJson.read(Files.readAllBytes(modelsDir.resolve(FILE)), Snapshot.class);
      if (s == null || !modelVersion.equals(s.modelVersion())) {
        return Snapshot.empty(modelVersion);
      }
      return s;
    } catch (NoSuchFileException e) {
      return Snapshot.empty(modelVersion);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Foresight: ignoring unreadable online statistics {} ({}); they start again from zero",
          modelsDir.resolve(FILE),
          e.toString());
      return Snapshot.empty(modelVersion);
    }
  }

  /**
   * Folds one captured run into the statistics of {@code forecaster}'s model version. A run already
   * applied is skipped. Returns the updated statistics.
   */
  public static Snapshot update(Path modelsDir, DemandForecaster forecaster, AppRun run)
      throws IOException {
    String version = forecaster.modelVersion();
    Files.createDirectories(modelsDir);
    try (FileChannel lockChannel =
            FileChannel.open(
                modelsDir.resolve(FILE + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock ignored = lockChannel.lock()) {
      Snapshot s = read(modelsDir, version);
      if (s.appliedApps().contains(run.appId())) {
        return s;
      }
      Snapshot next = fold(s, forecaster, run);
      Path tmp = modelsDir.resolve(FILE + ".tmp");
      JSON.writeValue(tmp.toFile(), next);
      Files.move(
          tmp,
          modelsDir.resolve(FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forecaster.useStats(next);
      return next;
    }
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
        Entry e =
            old == null
                ? new Entry(1, WEIGHT * residual, Math.abs(residual), run.startMs())
                : new Entry(
                    old.n() + 1,
                    old.bias() + WEIGHT * (residual - old.bias()),
                    old.meanAbs() + WEIGHT * (Math.abs(residual - old.bias()) - old.meanAbs()),
                    run.startMs());
        comps.put(key(c.signature(), t), e);
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
