package io.foresight.spark.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.forecast.Confidence;
import io.foresight.forecast.DemandForecast;
import io.foresight.forecast.Estimate;
import io.foresight.forecast.StageForecast;
import io.foresight.forecast.Target;
import io.foresight.forecast.model.StageShape;
import io.foresight.plan.PlannerConf;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ResourcePlan;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DemandsTest {
  private static final PlannerSettings GPU_ON =
      PlannerConf.parse(Map.of("spark.foresight.gpu.enabled", "true"));

  /** A confident stage of 600 s of predicted work; {@code joins} decides the table's estimate. */
  private static StageForecast stage(String sig, int joins, double measuredSpeedup) {
    return stage(sig, joins, measuredSpeedup, 0);
  }

  private static StageForecast stage(
      String sig, int joins, double measuredSpeedup, double ceilingMibPerCore) {
    Map<Target, Estimate> est = new EnumMap<>(Target.class);
    est.put(Target.EXECUTOR_SECONDS, new Estimate(600, 700, Confidence.HIGH, ""));
    est.put(Target.STAGE_SECONDS, new Estimate(60, 70, Confidence.HIGH, ""));
    est.put(Target.PEAK_HEAP_GIB, new Estimate(1.0, 1.2, Confidence.HIGH, ""));
    est.put(Target.PEAK_EXECUTION_MEMORY_GIB, new Estimate(0.2, 0.25, Confidence.HIGH, ""));
    est.put(Target.SHUFFLE_WRITE_GIB, new Estimate(0.1, 0.2, Confidence.HIGH, ""));
    est.put(Target.SPILL_GIB, new Estimate(0, 0, Confidence.HIGH, ""));
    StageShape shape = new StageShape(40, 1, joins, 0, 0, 1, 0, 0, 1, List.of());
    return new StageForecast(
        sig, sig, List.of(), 40, "component", est, shape, measuredSpeedup, ceilingMibPerCore);
  }

  private static DemandForecast forecast(List<StageForecast> stages) {
    Estimate job = new Estimate(1200, 1400, Confidence.HIGH, "");
    return new DemandForecast(
        "job",
        "v1",
        Confidence.HIGH,
        "",
        4,
        2,
        new Estimate(2, 2, Confidence.HIGH, "given"),
        Estimate.none("not needed"),
        stages,
        job,
        "sum of the stage bounds",
        new Estimate(130, 150, Confidence.HIGH, ""),
        "overhead plus the critical path of the stage bounds",
        new TreeMap<>(),
        2,
        "",
        new Estimate(1.0, 1.2, Confidence.HIGH, ""),
        "");
  }

  @Test
  void measuredGpuSpeedupsFromTheForecastDecideTheGpuProfile() {
    // The table gives a join 4x and a plain stage 1x; history measured the opposite.
    StageForecast join = stage("join", 1, 1.2);
    StageForecast plain = stage("plain", 0, 3.5);
    StageForecast unmeasured = stage("other-join", 1, 0);
    DemandForecast f = forecast(List.of(join, plain, unmeasured));

    assertEquals(Map.of("join", 1.2, "plain", 3.5), Demands.measuredGpuSpeedups(f));
    ResourcePlan plan = Demands.plan(f, 1024, GPU_ON);
    assertEquals(0, plan.profiles().get(plan.profileOf("join")).shape().gpus(), plan.toString());
    assertEquals(1, plan.profiles().get(plan.profileOf("plain")).shape().gpus(), plan.toString());
    assertEquals(
        1, plan.profiles().get(plan.profileOf("other-join")).shape().gpus(), plan.toString());
    String why =
        plan.stages().stream()
            .filter(s -> s.key().equals("plain"))
            .findFirst()
            .orElseThrow()
            .reason();
    assertTrue(why.contains("estimated speed-up 3.5x"), why);
  }

  @Test
  void aProvenExecutorSizeFromTheForecastHoldsTheMemory() {
    // 4 tasks of 0.25 GiB execution memory need 2304 MiB with headroom; its runs had 256 MiB per
    // core.
    ResourcePlan bound = Demands.plan(forecast(List.of(stage("scan", 0, 0))), 1024, GPU_ON);
    assertEquals(2304, bound.defaultProfile().shape().memoryMib(), bound.toString());
    ResourcePlan held = Demands.plan(forecast(List.of(stage("scan", 0, 0, 256))), 1024, GPU_ON);
    assertEquals(1024, held.defaultProfile().shape().memoryMib(), held.toString());
  }
}
