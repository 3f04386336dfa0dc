package io.foresight.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The columns of one {@code foresight.stages} row the forecaster uses. Built from a Spark row when
 * training and from a captured {@code StageRecord} for the online update.
 *
 * @param name what predictions and plans show for the stage: see {@link #label}
 * @param parentStageIds the stages whose shuffle this stage read ({@code producer_stage_ids}), or
 *     in a history that predates that column, Spark's parent ids (which name skipped stages under
 *     adaptive query execution, so that such a history's stages have no parents)
 * @param inputBytes bytes read from input sources, as the tasks count them
 * @param filesReadBytes size of the files the stage's file scans selected; 0 when unknown
 * @param gpus GPUs per executor of the stage's resource profile; 0 on CPU executors
 * @param executorCores cores per executor of the stage's resource profile; 0 when unknown
 * @param executorMemoryBytes executor (heap) memory of the stage's resource profile; 0 when unknown
 *     or when the executors were not JVMs of their own (local mode: the heap is the driver's)
 * @param executorPeakUnifiedMemoryBytes the most execution and storage memory Spark's memory
 *     manager had granted on an executor while the stage ran; 0 when not measured
 * @param executorPeakHeapAfterGcBytes the most heap a garbage collection left on an executor while
 *     the stage ran; 0 when no collection ran or it was not measured
 */
public record StageRow(
    int stageId,
    String signature,
    String name,
    List<Integer> parentStageIds,
    int numTasks,
    long durationMs,
    long executorRunTimeMs,
    long peakExecutionMemoryBytes,
    long executorPeakJvmHeapBytes,
    long inputBytes,
    long filesReadBytes,
    long shuffleWriteBytes,
    long spillBytes,
    int joins,
    int aggregates,
    int windows,
    int exchanges,
    int sorts,
    int udfs,
    int schemaDepth,
    List<String> formats,
    double gpus,
    int executorCores,
    long executorMemoryBytes,
    long executorPeakUnifiedMemoryBytes,
    long executorPeakHeapAfterGcBytes) {

  /** This row with another executor memory (0: not known, as in local mode). */
  public StageRow withExecutorMemoryBytes(long bytes) {
    return new StageRow(
        stageId,
        signature,
        name,
        parentStageIds,
        numTasks,
        durationMs,
        executorRunTimeMs,
        peakExecutionMemoryBytes,
        executorPeakJvmHeapBytes,
        inputBytes,
        filesReadBytes,
        shuffleWriteBytes,
        spillBytes,
        joins,
        aggregates,
        windows,
        exchanges,
        sorts,
        udfs,
        schemaDepth,
        formats,
        gpus,
        executorCores,
        bytes,
        executorPeakUnifiedMemoryBytes,
        executorPeakHeapAfterGcBytes);
  }

  /** Operators that say little about what a stage does, left out of its label. */
  private static final Set<String> PLUMBING = Set.of("Project", "ColumnarToRow", "AQEShuffleRead");

  /**
   * How predictions and plans name a stage: its name (the call site), except for a stage that
   * adaptive execution submitted from its thread pool, whose call site is the pool's ({@code
   * $anonfun$withThreadLocalCaptured$2 at CompletableFuture.java:1768}, the same for every such
   * stage). That one is named by its operators, inputs first, plumbing ({@code Project}, {@code
   * ColumnarToRow}, {@code AQEShuffleRead}) left out and a repeated operator counted: {@code Scan
   * parquet > Filter > BroadcastHashJoin x3 > HashAggregate > Exchange}.
   *
   * @param name the stage's name; null reads as empty
   * @param operators the stage's {@code operators}; null or empty when not recorded
   */
  public static String label(String name, List<String> operators) {
    String n = name == null ? "" : name;
    if (operators == null || operators.isEmpty() || !n.contains("withThreadLocalCaptured")) {
      return n;
    }
    List<String> kept = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (String op : operators) {
      if (PLUMBING.contains(op)) {
        continue;
      }
      int last = kept.size() - 1;
      if (last >= 0 && kept.get(last).equals(op)) {
        counts.set(last, counts.get(last) + 1);
      } else {
        kept.add(op);
        counts.add(1);
      }
    }
    if (kept.isEmpty()) {
      return n;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kept.size(); i++) {
      b.append(i == 0 ? "" : " > ").append(kept.get(i));
      if (counts.get(i) > 1) {
        b.append(" x").append(counts.get(i));
      }
    }
    return b.toString();
  }

  /**
   * The stage's input volume: the size of the files it scans when known, which is what listing the
   * input finds, else the bytes its tasks counted (Spark 4.1 counts only part of a vectorised
   * Parquet read).
   */
  public long volumeBytes() {
    return filesReadBytes > 0 ? filesReadBytes : inputBytes;
  }
}
