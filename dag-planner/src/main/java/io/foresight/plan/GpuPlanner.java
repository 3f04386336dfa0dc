package io.foresight.plan;

import java.util.List;
import java.util.Map;

/**
 * Which stages qualify for the RAPIDS Accelerator, and by how much they are expected to speed up.
 *
 * <p>The estimate is the mean of the per-operator speed-ups of the operator kinds a stage runs,
 * from {@link #SPEEDUPS}. The table (docs/GPU-PLANNING.md gives its sources) holds typical
 * speed-ups of the RAPIDS Accelerator over a CPU executor of the same core count as published by
 * NVIDIA for NDS/TPC-DS-like workloads and its qualification tool's operator scores: a stage of
 * operators the accelerator does not run (row UDFs, text and in-memory sources, RDD code) gets 1.0
 * and never qualifies. A measured speed-up of the same signature (a past GPU run against CPU runs)
 * replaces the table's estimate.
 */
public final class GpuPlanner {
  /** Typical RAPIDS speed-up per operator kind. */
  public static final Map<String, Double> SPEEDUPS =
      Map.ofEntries(
          Map.entry("Join", 4.0),
          Map.entry("Aggregate", 3.0),
          Map.entry("Sort", 3.0),
          Map.entry("Window", 3.0),
          Map.entry("Expand", 2.0),
          Map.entry("Filter", 2.0),
          Map.entry("Project", 1.5),
          Map.entry("Scan parquet", 3.0),
          Map.entry("Scan orc", 2.5),
          Map.entry("Scan csv", 1.5),
          Map.entry("Scan json", 1.3),
          Map.entry("Scan delta", 3.0));

  /** Operator kinds that keep a stage off the GPU: row-based code the accelerator cannot run. */
  public static final List<String> BLOCKERS =
      List.of("Udf", "Scan text", "Scan in-memory", "Scan jdbc", "Rdd");

  private GpuPlanner() {}

  /** The estimated speed-up of a stage, 1.0 when it has nothing the accelerator speeds up. */
  public static double speedup(StageDemand s, Map<String, Double> measured) {
    Double m = measured.get(s.key());
    if (m != null && m > 0) {
      return m;
    }
    for (String op : s.operators()) {
      if (BLOCKERS.contains(op)) {
        return 1.0;
      }
    }
    double sum = 0;
    int n = 0;
    for (String op : s.operators()) {
      Double v = SPEEDUPS.get(op);
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? 1.0 : sum / n;
  }

  /** Why a stage does or does not go to a GPU; null when it qualifies. */
  public static String disqualification(
      StageDemand s, PlannerSettings settings, Map<String, Double> measured) {
    if (!settings.gpuEnabled() || settings.capGpusPerExecutor() < 1) {
      return "GPU planning is off";
    }
    if (!s.confident()) {
      return "prediction not confident";
    }
    if (!(s.executorSeconds() >= settings.gpuMinStageSeconds())) {
      return String.format(
          "predicted work %.0f s is below %.0f s",
          s.executorSeconds(), settings.gpuMinStageSeconds());
    }
    double sp = speedup(s, measured);
    if (sp < settings.gpuMinSpeedup()) {
      return String.format(
          "estimated speed-up %.1fx is below %.1fx (operators %s)",
          sp, settings.gpuMinSpeedup(), s.operators());
    }
    return null;
  }
}
