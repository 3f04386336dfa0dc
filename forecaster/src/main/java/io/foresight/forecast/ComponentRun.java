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
 * @param executorCores cores per executor of the attempt with the most memory per core; 0 unknown
 * @param executorMemoryBytes executor memory of that attempt; 0 unknown (see {@link
 *     StageRow#executorMemoryBytes})
 * @param peakUnifiedMemoryBytes the most execution and storage memory granted on an executor while
 *     it ran (its attempts' maximum); 0 when not measured
 */
public record ComponentRun(
    String signature,
    String name,
    Set<String> parents,
    StageShape shape,
    long inputBytes,
    Map<Target, Double> labels,
    double gpus,
    int executorCores,
    long executorMemoryBytes,
    long peakUnifiedMemoryBytes) {

  /** A heap peak at or above this share of the executor's memory is a heap under pressure. */
  static final double HEAP_PRESSURE = 0.9;

  /**
   * A spill is memory pressure when the executor's unified memory peak reached this share of what
   * one task may take of it with all slots busy (Spark's unified region over the cores).
   */
  static final double UNIFIED_PRESSURE = 0.8;

  /** Spark's reserved system memory per executor (the planner sizes with it too). */
  public static final long RESERVED_BYTES = 300L << 20;

  /** Spark's default {@code spark.memory.fraction}: the unified share of the rest. */
  public static final double MEMORY_FRACTION = 0.6;

  /**
   * Whether this run showed that its executors' memory was short: its heap peak reached {@value
   * #HEAP_PRESSURE} of the executor memory, or it spilled while its memory manager was near full. A
   * spill with the unified region far from full was not for want of memory (Spark also spills by
   * record count, as the window buffer and the sorter's element threshold do) and more memory would
   * not remove it; a spill without a unified-memory measurement counts as pressure.
   */
  public boolean memoryPressure() {
    double spill = labels.getOrDefault(Target.SPILL_GIB, 0.0);
    double heap = labels.getOrDefault(Target.PEAK_HEAP_GIB, Double.NaN);
    if (executorMemoryBytes > 0 && heap * AppRun.GIB >= HEAP_PRESSURE * executorMemoryBytes) {
      return true;
    }
    if (!(spill > 0)) {
      return false;
    }
    if (executorMemoryBytes <= 0 || executorCores <= 0 || peakUnifiedMemoryBytes <= 0) {
      return true;
    }
    double region = (executorMemoryBytes - RESERVED_BYTES) * MEMORY_FRACTION;
    return peakUnifiedMemoryBytes >= UNIFIED_PRESSURE * region / executorCores;
  }

  /** Executor memory per core, MiB; 0 when unknown. */
  public double memoryMibPerCore() {
    return executorMemoryBytes > 0 && executorCores > 0
        ? executorMemoryBytes / (1024.0 * 1024.0) / executorCores
        : 0;
  }

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
      long heapAfterGc = 0;
      long input = 0;
      long shuffle = 0;
      long spill = 0;
      double gpus = 0;
      int cores = 0;
      long memory = 0;
      long unified = 0;
      for (StageRow s : rows) {
        gpus = Math.max(gpus, s.gpus());
        unified = Math.max(unified, s.executorPeakUnifiedMemoryBytes());
        if (s.executorMemoryBytes() > 0
            && s.executorCores() > 0
            && (memory == 0
                || (double) s.executorMemoryBytes() / s.executorCores()
                    > (double) memory / cores)) {
          memory = s.executorMemoryBytes();
          cores = s.executorCores();
        }
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
        heapAfterGc = Math.max(heapAfterGc, s.executorPeakHeapAfterGcBytes());
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
      // 0: no collection ran during the stage, which says nothing of what it holds.
      labels.put(Target.HEAP_AFTER_GC_GIB, heapAfterGc > 0 ? heapAfterGc / AppRun.GIB : Double.NaN);
      labels.put(Target.SHUFFLE_WRITE_GIB, shuffle / AppRun.GIB);
      labels.put(Target.SPILL_GIB, spill / AppRun.GIB);
      out.add(
          new ComponentRun(
              e.getKey(),
              first.name(),
              parents,
              shape,
              input,
              labels,
              gpus,
              cores,
              memory,
              unified));
    }
    return out;
  }
}
