package io.foresight.spark.plan;

import io.foresight.forecast.Confidence;
import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.Estimate;
import io.foresight.forecast.StageForecast;
import io.foresight.forecast.Target;
import io.foresight.forecast.model.StageShape;
import io.foresight.plan.JobDemand;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ProfilePlanner;
import io.foresight.plan.ResourcePlan;
import io.foresight.plan.StageDemand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Forecasts as the planner reads them. */
public final class Demands {
  private Demands() {}

  /** The plan for a forecast, with the GPU speed-ups the history measured. */
  public static ResourcePlan plan(DemandForecast f, int baseMemoryMib, PlannerSettings settings) {
    return ProfilePlanner.plan(of(f, baseMemoryMib), settings, measuredGpuSpeedups(f));
  }

  /**
   * Stage key to speed-up, for the stages whose signature ran on GPU and on CPU executors before;
   * the planner prefers these to its per-operator table.
   */
  public static Map<String, Double> measuredGpuSpeedups(DemandForecast f) {
    Map<String, Double> out = new HashMap<>();
    for (StageForecast s : f.stages()) {
      if (s.gpuSpeedup() > 0) {
        out.put(s.signature(), s.gpuSpeedup());
      }
    }
    return out;
  }

  /**
   * The planner's view of a forecast. A stage is confident when its task-time estimate and at least
   * one memory upper bound are present and not {@code LOW}.
   */
  public static JobDemand of(DemandForecast f, int baseMemoryMib) {
    List<StageDemand> stages = new ArrayList<>();
    for (StageForecast s : f.stages()) {
      Estimate work = s.get(Target.EXECUTOR_SECONDS);
      Estimate heap = s.get(Target.PEAK_HEAP_GIB);
      Estimate task = s.get(Target.PEAK_EXECUTION_MEMORY_GIB);
      Estimate spill = s.get(Target.SPILL_GIB);
      boolean workOk = usable(work) && !Double.isNaN(work.point());
      double heapUpper = usable(heap) ? heap.upper() : Double.NaN;
      double taskUpper = usable(task) ? task.upper() : Double.NaN;
      boolean memOk = Double.isFinite(heapUpper) || Double.isFinite(taskUpper);
      stages.add(
          new StageDemand(
              s.signature(),
              s.name(),
              s.numTasks(),
              work == null ? Double.NaN : work.point(),
              work == null ? Double.NaN : work.upper(),
              heapUpper,
              taskUpper,
              workOk && memOk,
              operators(s.shape()),
              usable(spill) ? spill.upper() : Double.NaN,
              s.memoryCeilingMibPerCore()));
    }
    return new JobDemand(
        f.jobKey(),
        f.modelVersion(),
        f.actionable(),
        f.reason(),
        Math.max(1, f.executorCores()),
        baseMemoryMib,
        f.usefulExecutors(),
        List.copyOf(stages),
        f.usefulExecutorsReason().isEmpty() ? 0 : f.usefulExecutors(),
        f.usefulExecutorsReason());
  }

  private static boolean usable(Estimate e) {
    return e != null
        && e.present()
        && e.confidence() != Confidence.LOW
        && Double.isFinite(e.upper());
  }

  /** Operator kinds of a stage as the GPU table names them. */
  static List<String> operators(StageShape shape) {
    List<String> ops = new ArrayList<>();
    if (shape == null) {
      return ops;
    }
    if (shape.joins() > 0) {
      ops.add("Join");
    }
    if (shape.aggregates() > 0) {
      ops.add("Aggregate");
    }
    if (shape.sorts() > 0) {
      ops.add("Sort");
    }
    if (shape.windows() > 0) {
      ops.add("Window");
    }
    if (shape.udfs() > 0) {
      ops.add("Udf");
    }
    for (String f : shape.formats()) {
      ops.add("Scan " + f);
    }
    return List.copyOf(ops);
  }
}
