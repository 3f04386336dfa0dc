package io.foresight.forecast;

import io.foresight.forecast.model.ComponentModel;
import io.foresight.forecast.model.MemoryEvidence;
import io.foresight.forecast.model.ScalingModel;
import io.foresight.forecast.model.StageShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What has been seen of one component so far, updated run by run in time order. Its snapshot before
 * a run gives that run's lag features, so training never sees the future.
 */
final class ComponentState {
  static final double EWMA_WEIGHT = 0.4;

  private final String signature;
  private String name;
  private int runs;
  private StageShape shape;
  private final Map<String, Double> lag = new TreeMap<>();
  private double inputShare;
  private long lastSeenMs;

  /** Executor-seconds per GiB of input, of the runs on CPU and on GPU executors. */
  private final List<Double> cpuWorkPerGib = new ArrayList<>();

  private final List<Double> gpuWorkPerGib = new ArrayList<>();

  private MemoryEvidence memory = MemoryEvidence.NONE;

  ComponentState(String signature) {
    this.signature = signature;
  }

  int runs() {
    return runs;
  }

  /** What is known before {@code current}: its features; no GPU speed-up (training only). */
  ComponentModel snapshot(ComponentRun current, Map<String, ScalingModel> scaling) {
    return model(
        name != null ? name : current.name(), shape != null ? shape : current.shape(), scaling, 0);
  }

  /** The snapshot after the last run, with the GPU speed-up measured over all runs. */
  ComponentModel last(Map<String, ScalingModel> scaling) {
    return model(name, shape, scaling, gpuSpeedup(cpuWorkPerGib, gpuWorkPerGib));
  }

  private ComponentModel model(
      String n, StageShape s, Map<String, ScalingModel> scaling, double speedup) {
    return new ComponentModel(
        signature,
        n,
        runs,
        s,
        scaling,
        new TreeMap<>(lag),
        inputShare,
        lastSeenMs,
        speedup,
        memory);
  }

  /**
   * The measured GPU speed-up of a component: the median work per GiB of input (its own scans', or
   * the job's when it scans nothing) on CPU executors over the median on GPU executors; 0 (not
   * measured) without at least {@value #MIN_CPU_RUNS} CPU runs and one GPU run of it.
   */
  static double gpuSpeedup(List<Double> cpu, List<Double> gpu) {
    if (cpu.size() < MIN_CPU_RUNS || gpu.isEmpty()) {
      return 0;
    }
    double g = ForecastTrainer.median(gpu.stream().mapToDouble(Double::doubleValue).toArray());
    double c = ForecastTrainer.median(cpu.stream().mapToDouble(Double::doubleValue).toArray());
    return g > 0 && c > 0 ? c / g : 0;
  }

  static final int MIN_CPU_RUNS = 2;

  Double lag(Target t) {
    return lag.get(t.column());
  }

  void observe(ComponentRun c, AppRun app) {
    double logInput = Features.logInput(app.inputGib());
    // Per GiB of what the stage itself scanned; a stage without a scan, per GiB of the job's input.
    double work = c.labels().get(Target.EXECUTOR_SECONDS);
    double gib = c.inputBytes() > 0 ? c.inputBytes() / AppRun.GIB : app.inputGib();
    if (gib > 0 && work > 0) {
      (c.gpus() > 0 ? gpuWorkPerGib : cpuWorkPerGib).add(work / gib);
    }
    for (Map.Entry<Target, Double> e : c.cpuLabels().entrySet()) {
      double v = e.getKey().toLog(e.getValue()) - logInput;
      if (Double.isNaN(v)) {
        continue;
      }
      lag.merge(e.getKey().column(), v, (old, now) -> old + EWMA_WEIGHT * (now - old));
    }
    memory = memory.observe(c.memoryMibPerCore(), c.memoryPressure(), app.inputGib());
    double share = app.inputBytes() > 0 ? (double) c.inputBytes() / app.inputBytes() : 0;
    inputShare = runs == 0 ? share : inputShare + EWMA_WEIGHT * (share - inputShare);
    runs++;
    shape = c.shape();
    name = c.name();
    lastSeenMs = Math.max(lastSeenMs, app.startMs());
  }
}
