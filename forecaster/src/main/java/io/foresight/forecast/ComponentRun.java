package io.foresight.forecast;

import io.foresight.forecast.model.StageShape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One component (stage signature) in one application: the stage attempts of that signature folded
 * together. Sums for work and bytes (executor time, shuffle, spill, stage time), maxima for peaks.
 * A label is NaN when it was not measured (no executor-metrics sample during the stage).
 *
 * @param parents signatures of the components this one reads from
 * @param gpus GPUs per executor it ran with (the most of its attempts); 0 on CPU executors
 */
public record ComponentRun(
    String signature,
    String name,
    Set<String> parents,
    StageShape shape,
    long inputBytes,
    Map<Target, Double> labels,
    double gpus) {

  /** The targets that depend on the processor: a GPU run's values say nothing of a CPU run's. */
  static final Set<Target> TIMES = Set.of(Target.EXECUTOR_SECONDS, Target.STAGE_SECONDS);

  /**
   * The labels the CPU models learn from: all of them on CPU executors; on GPU executors, the times
   * are NaN (not measured for CPU).
   */
  public Map<Target, Double> cpuLabels() {
    if (gpus <= 0) {
      return labels;
    }
    Map<Target, Double> out = new EnumMap<>(labels);
    TIMES.forEach(t -> out.put(t, Double.NaN));
    return out;
  }

  /** Folds {@code app}'s stages by signature, in order of first appearance. */
  public static List<ComponentRun> of(AppRun app) {
    Map<Integer, String> sigOfStage = new LinkedHashMap<>();
    for (StageRow s : app.stages()) {
      if (s.signature() != null) {
        sigOfStage.put(s.stageId(), s.signature());
      }
    }
    Map<String, List<StageRow>> bySig = new LinkedHashMap<>();
    for (StageRow s : app.stages()) {
      if (s.signature() != null) {
        bySig.computeIfAbsent(s.signature(), k -> new ArrayList<>()).add(s);
      }
    }
    List<ComponentRun> out = new ArrayList<>();
    for (Map.Entry<String, List<StageRow>> e : bySig.entrySet()) {
      List<StageRow> rows = e.getValue();
      StageRow first = rows.get(0);
      Set<String> parents = new LinkedHashSet<>();
      long tasks = 0;
      long duration = 0;
      long runTime = 0;
      long peakExec = 0;
      long peakHeap = 0;
      long input = 0;
      long shuffle = 0;
      long spill = 0;
      double gpus = 0;
      for (StageRow s : rows) {
        gpus = Math.max(gpus, s.gpus());
        for (Integer p : s.parentStageIds()) {
          String ps = sigOfStage.get(p);
          if (ps != null && !ps.equals(e.getKey())) {
            parents.add(ps);
          }
        }
        tasks += s.numTasks();
        duration += s.durationMs();
        runTime += s.executorRunTimeMs();
        peakExec = Math.max(peakExec, s.peakExecutionMemoryBytes());
        peakHeap = Math.max(peakHeap, s.executorPeakJvmHeapBytes());
        input += s.volumeBytes();
        shuffle += s.shuffleWriteBytes();
        spill += s.spillBytes();
      }
      StageShape shape =
          new StageShape(
              (int) Math.min(Integer.MAX_VALUE, tasks),
              rows.size(),
              first.joins(),
              first.aggregates(),
              first.windows(),
              first.exchanges(),
              first.sorts(),
              first.udfs(),
              first.schemaDepth(),
              first.formats());
      Map<Target, Double> labels = new EnumMap<>(Target.class);
      labels.put(Target.EXECUTOR_SECONDS, runTime / 1000.0);
      labels.put(Target.STAGE_SECONDS, duration / 1000.0);
      // 0 means no executor metrics sample fell within the stage: unknown, not "no memory".
      labels.put(Target.PEAK_HEAP_GIB, peakHeap > 0 ? peakHeap / AppRun.GIB : Double.NaN);
      labels.put(Target.PEAK_EXECUTION_MEMORY_GIB, peakExec / AppRun.GIB);
      labels.put(Target.SHUFFLE_WRITE_GIB, shuffle / AppRun.GIB);
      labels.put(Target.SPILL_GIB, spill / AppRun.GIB);
      out.add(new ComponentRun(e.getKey(), first.name(), parents, shape, input, labels, gpus));
    }
    return out;
  }
}
