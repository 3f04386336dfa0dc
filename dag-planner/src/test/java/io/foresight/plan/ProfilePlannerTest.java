package io.foresight.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.config.ConfigException;
import io.foresight.plan.ResourcePlan.Profile;
import io.foresight.plan.ResourcePlan.StagePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfilePlannerTest {
  static StageDemand stage(String key, double seconds, double heapGib) {
    return new StageDemand(
        key, key, 8, seconds, seconds * 1.3, heapGib, Double.NaN, true, List.of());
  }

  static JobDemand job(List<StageDemand> stages) {
    return new JobDemand("job", "v1", true, "", 2, 1024, 3, stages);
  }

  static PlannerSettings settings(Map<String, String> conf) {
    return PlannerConf.parse(conf);
  }

  @Test
  void groupingIsOptimalAgainstBruteForce() {
    Random rnd = new Random(7);
    for (int round = 0; round < 60; round++) {
      int n = 2 + rnd.nextInt(6);
      int k = 1 + rnd.nextInt(3);
      List<StageDemand> stages = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        stages.add(stage("s" + i, 1 + rnd.nextInt(500), 0.3 + rnd.nextDouble() * 6));
      }
      PlannerSettings s =
          settings(
              Map.of(
                  "spark.foresight.planner.maxProfiles",
                  Integer.toString(k),
                  "spark.foresight.planner.minProfileGain",
                  "0",
                  "spark.foresight.planner.profileCost",
                  "0"));
      ResourcePlan plan = ProfilePlanner.plan(job(stages), s);
      assertTrue(plan.profiles().size() <= k, "at most maxProfiles");
      Map<String, Integer> need = new HashMap<>();
      for (StagePlan sp : plan.stages()) {
        need.put(sp.key(), sp.needMib());
        assertTrue(
            plan.profiles().get(sp.profile()).shape().memoryMib() >= sp.needMib(),
            "every stage fits its profile");
      }
      double brute = bruteForce(stages, need, k);
      assertEquals(
          brute, plan.overProvisionedGibSeconds(), 1e-6 * Math.max(1, brute), "round " + round);
    }
  }

  /** Every assignment of the stages to at most k groups; a group gets its largest need. */
  private static double bruteForce(List<StageDemand> stages, Map<String, Integer> need, int k) {
    int n = stages.size();
    int[] assign = new int[n];
    double best = Double.POSITIVE_INFINITY;
    int total = (int) Math.pow(k, n);
    for (int code = 0; code < total; code++) {
      int c = code;
      for (int i = 0; i < n; i++) {
        assign[i] = c % k;
        c /= k;
      }
      int[] top = new int[k];
      for (int i = 0; i < n; i++) {
        top[assign[i]] = Math.max(top[assign[i]], need.get(stages.get(i).key()));
      }
      double cost = 0;
      for (int i = 0; i < n; i++) {
        cost +=
            (top[assign[i]] - need.get(stages.get(i).key()))
                / 1024.0
                * stages.get(i).executorSeconds()
                / 2;
      }
      best = Math.min(best, cost);
    }
    return best;
  }

  @Test
  void capsHoldWhateverThePrediction() {
    Random rnd = new Random(11);
    PlannerSettings s =
        settings(
            Map.of(
                "spark.foresight.caps.executorMemory", "4g",
                "spark.foresight.caps.executorCores", "4",
                "spark.foresight.caps.maxExecutors", "10",
                "spark.foresight.caps.gpusPerExecutor", "1",
                "spark.foresight.gpu.enabled", "true"));
    for (int round = 0; round < 50; round++) {
      List<StageDemand> stages = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        double heap = Math.pow(10, rnd.nextDouble() * 5 - 2); // 0.01 GiB .. 1 TiB
        stages.add(
            new StageDemand(
                "s" + i,
                "s" + i,
                rnd.nextInt(100_000),
                Math.pow(10, rnd.nextDouble() * 6),
                Double.NaN,
                heap,
                rnd.nextBoolean() ? heap / 3 : Double.NaN,
                true,
                rnd.nextBoolean() ? List.of("Join", "Scan parquet") : List.of("Udf")));
      }
      JobDemand j =
          new JobDemand(
              "job", "v", true, "", 1 + rnd.nextInt(64), 100_000, rnd.nextInt(10_000), stages);
      ResourcePlan plan = ProfilePlanner.plan(j, s);
      for (Profile p : plan.profiles()) {
        assertTrue(p.shape().memoryMib() <= 4096, "memory cap: " + p.shape());
        assertTrue(p.shape().cores() <= 4 && p.shape().cores() >= 1, "cores cap: " + p.shape());
        assertTrue(p.shape().gpus() <= 1, "GPU cap");
      }
      assertTrue(
          plan.maxExecutors() * plan.profiles().size() <= 10, "executor cap over all profiles");
      assertTrue(plan.initialExecutors() <= plan.maxExecutors());
      assertTrue(Integer.parseInt(plan.conf().get("spark.executor.cores")) <= 4);
    }
  }

  @Test
  void aStageCloseToTheDefaultStaysOnIt() {
    List<StageDemand> stages =
        List.of(stage("big-work", 1000, 2.0), stage("near", 10, 2.2), stage("far", 10, 6.0));
    // Profiles priced at zero, so that "near" gets a group of its own, which the rule then merges.
    ResourcePlan plan =
        ProfilePlanner.plan(
            job(stages), settings(Map.of("spark.foresight.planner.profileCost", "0")));
    assertEquals(0, plan.profileOf("big-work"));
    assertEquals(0, plan.profileOf("near"), "within 25 % of the default shape");
    assertEquals(1, plan.profileOf("far"));
    assertEquals(2, plan.profiles().size());
    assertEquals(
        "default executors and 1 stage profile(s), sized for 3 of 3 stage(s)", plan.reason());
    assertTrue(
        plan.profiles().get(1).shape().memoryMib() > plan.defaultProfile().shape().memoryMib());
    assertEquals(plan.defaultProfile().shape().memory(), plan.conf().get("spark.executor.memory"));
    assertEquals("true", plan.conf().get("spark.dynamicAllocation.enabled"));
    assertEquals("true", plan.conf().get("spark.dynamicAllocation.shuffleTracking.enabled"));
  }

  @Test
  void unknownStagesKeepTheDefaultAtLeastAsLargeAsBefore() {
    List<StageDemand> stages =
        List.of(
            stage("small", 1000, 0.2),
            new StageDemand(
                "unknown", "unknown", 4, 50, 60, Double.NaN, Double.NaN, true, List.of()));
    ResourcePlan plan = ProfilePlanner.plan(job(stages), PlannerSettings.defaults());
    assertTrue(plan.defaultProfile().shape().memoryMib() >= 1024);
    assertTrue(
        plan.stages().stream()
            .anyMatch(
                s -> s.key().equals("unknown") && s.reason().contains("no memory prediction")));
    assertEquals("default executors only, sized for 1 of 2 stage(s)", plan.reason());
  }

  @Test
  void lowConfidenceIsNotActionable() {
    JobDemand j =
        new JobDemand("job", "v", false, "Job has 1 run", 2, 1024, 2, List.of(stage("a", 5, 1)));
    ResourcePlan plan = ProfilePlanner.plan(j, PlannerSettings.defaults());
    assertFalse(plan.actionable());
    assertEquals("Job has 1 run", plan.reason());
  }

  @Test
  void gpuProfilesOnlyForQualifyingStagesWhenEnabled() {
    StageDemand heavyJoin =
        new StageDemand(
            "join",
            "join",
            200,
            900,
            1000,
            3,
            Double.NaN,
            true,
            List.of("Join", "Aggregate", "Scan parquet"));
    StageDemand udf =
        new StageDemand(
            "udf", "udf", 200, 900, 1000, 1, Double.NaN, true, List.of("Udf", "Scan parquet"));
    StageDemand light =
        new StageDemand(
            "light", "light", 4, 5, 6, 1, Double.NaN, true, List.of("Join", "Scan parquet"));
    JobDemand j = new JobDemand("job", "v", true, "", 4, 2048, 4, List.of(heavyJoin, udf, light));

    ResourcePlan off = ProfilePlanner.plan(j, PlannerSettings.defaults());
    assertTrue(off.profiles().stream().allMatch(p -> p.shape().gpus() == 0));
    assertFalse(off.conf().containsKey("spark.rapids.sql.concurrentGpuTasks"));

    PlannerSettings on = settings(Map.of("spark.foresight.gpu.enabled", "true"));
    ResourcePlan plan = ProfilePlanner.plan(j, on);
    Profile gpu = plan.profiles().get(plan.profileOf("join"));
    assertEquals(1, gpu.shape().gpus());
    assertEquals(0.25, gpu.shape().taskGpus(), 1e-9);
    assertEquals(0, plan.profiles().get(plan.profileOf("udf")).shape().gpus());
    assertEquals(0, plan.profiles().get(plan.profileOf("light")).shape().gpus());
    assertEquals(ProfilePlanner.RAPIDS_PLUGIN, plan.conf().get("spark.plugins"));
    assertEquals("2", plan.conf().get("spark.rapids.sql.concurrentGpuTasks"));
    assertEquals("nvidia.com", plan.conf().get("spark.executor.resource.gpu.vendor"));
    assertTrue(plan.conf().containsKey("spark.executor.resource.gpu.discoveryScript"));
    assertNull(GpuPlanner.disqualification(heavyJoin, on, Map.of()));
    assertTrue(GpuPlanner.disqualification(udf, on, Map.of()).contains("speed-up"));
    assertTrue(GpuPlanner.disqualification(light, on, Map.of()).contains("below 60 s"));

    // A measured speed-up of the signature replaces the table.
    ResourcePlan measured = ProfilePlanner.plan(j, on, Map.of("join", 1.1));
    assertEquals(0, measured.profiles().get(measured.profileOf("join")).shape().gpus());
  }

  @Test
  void badPlannerValuesNameKeyValueAndExpectation() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> PlannerConf.parse(Map.of("spark.foresight.planner.maxProfiles", "0")));
    assertTrue(e.getMessage().contains("spark.foresight.planner.maxProfiles"), e.getMessage());
    assertTrue(e.getMessage().contains("between 1 and 8"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> PlannerConf.parse(Map.of("spark.foresight.planner.mode", "yolo")));
    assertTrue(e.getMessage().contains("yolo"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> PlannerConf.parse(Map.of("spark.foresight.caps.executorMemory", "lots")));
    assertTrue(e.getMessage().contains("512m or 2g"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                PlannerConf.parse(
                    Map.of(
                        "spark.foresight.planner.minExecutorMemory", "8g",
                        "spark.foresight.caps.executorMemory", "4g")));
    assertTrue(
        e.getMessage().contains("at most spark.foresight.caps.executorMemory"), e.getMessage());
  }

  @Test
  void aProfileMustSaveMoreThanItsExecutorCosts() {
    // A heavy stage needs 6 GiB, the rest 1 GiB. Over seconds of work, a second profile saves less
    // than one executor of it held for profileCost; over an hour of work it saves far more.
    for (double scale : new double[] {1, 1000}) {
      List<StageDemand> stages =
          List.of(
              stage("light-1", 4 * scale, 0.8),
              stage("light-2", 3 * scale, 0.8),
              stage("heavy", 2 * scale, 5.5));
      ResourcePlan priced = ProfilePlanner.plan(job(stages), settings(Map.of()));
      ResourcePlan free =
          ProfilePlanner.plan(
              job(stages), settings(Map.of("spark.foresight.planner.profileCost", "0")));
      assertEquals(2, free.profiles().size(), "without a cost, the heavy stage gets its own");
      if (scale == 1) {
        assertEquals(1, priced.profiles().size(), "seconds of work: one shape, " + priced);
        assertTrue(priced.profiles().get(0).shape().memoryMib() >= 5632, "fits the heavy stage");
      } else {
        assertEquals(2, priced.profiles().size(), "an hour of work: two shapes, " + priced);
      }
    }
  }

  @Test
  void initialExecutorsAreNoMoreThanTheDefaultProfileCanUse() {
    // Useful parallelism 6 executors, but the default profile's widest stage has 8 tasks: 4
    // executors of 2 cores. The wide stage runs on the other profile, whose executors Spark
    // starts when its stage is submitted.
    List<StageDemand> stages =
        List.of(
            new StageDemand("narrow", "narrow", 8, 5000, 6500, 0.8, Double.NaN, true, List.of()),
            new StageDemand("wide", "wide", 400, 3000, 3900, 6.0, Double.NaN, true, List.of()));
    JobDemand j = new JobDemand("job", "v1", true, "", 2, 1024, 6, stages);
    ResourcePlan plan =
        ProfilePlanner.plan(j, settings(Map.of("spark.foresight.planner.profileCost", "0")));
    assertEquals(2, plan.profiles().size(), plan.toString());
    assertEquals(List.of("narrow"), plan.profiles().get(0).stageKeys());
    assertEquals(4, plan.initialExecutors());
    assertEquals("4", plan.conf().get("spark.dynamicAllocation.initialExecutors"));
  }

  @Test
  void aMeasuredCeilingCapsTheExecutorsAndIsExplained() {
    List<StageDemand> stages =
        List.of(new StageDemand("scan", "scan", 40, 8000, 9000, 0.8, Double.NaN, true, List.of()));
    JobDemand unmeasured = new JobDemand("job", "v1", true, "", 2, 1024, 1, stages);
    ResourcePlan free = ProfilePlanner.plan(unmeasured, settings(Map.of()));
    assertEquals(1, free.initialExecutors());
    assertEquals(20, free.maxExecutors(), "40 tasks on 2-core executors: " + free);

    String why = "runs with 4 task slots were no faster than runs with 2";
    JobDemand measured = new JobDemand("job", "v1", true, "", 2, 1024, 1, stages, 1, why);
    ResourcePlan held = ProfilePlanner.plan(measured, settings(Map.of()));
    assertEquals(1, held.initialExecutors());
    assertEquals(1, held.maxExecutors());
    assertEquals("1", held.conf().get("spark.dynamicAllocation.maxExecutors"));
    assertTrue(held.reason().endsWith("; at most 1 executor(s): " + why), held.reason());
  }

  @Test
  void memoryGrowsPastWhatSufficedOnlyOnEvidence() {
    // A heap bound of 1.1 GiB at 2 cores needs 1280 MiB with 10 % headroom ...
    StageDemand bound =
        new StageDemand("scan", "scan", 4, 20, 25, 1.1, Double.NaN, true, List.of(), Double.NaN, 0);
    ResourcePlan free =
        ProfilePlanner.plan(
            new JobDemand("job", "v1", true, "", 2, 1024, 1, List.of(bound)), settings(Map.of()));
    assertEquals(1280, free.stages().get(0).needMib(), free.toString());
    // ... but the stage's runs had 512 MiB per core without memory pressure: it stays there.
    StageDemand proven =
        new StageDemand(
            "scan", "scan", 4, 20, 25, 1.1, Double.NaN, true, List.of(), Double.NaN, 512);
    ResourcePlan held =
        ProfilePlanner.plan(
            new JobDemand("job", "v1", true, "", 2, 1024, 1, List.of(proven)), settings(Map.of()));
    assertEquals(1024, held.stages().get(0).needMib());
    assertEquals(1024, held.defaultProfile().shape().memoryMib());
    assertTrue(
        held.stages().get(0).reason().contains("held to 1024 MiB, which its runs at 2 core(s) had"),
        held.stages().get(0).reason());
    // A ceiling above the need changes nothing; a smaller bound is not raised to the ceiling.
    StageDemand roomy =
        new StageDemand(
            "scan", "scan", 4, 20, 25, 1.1, Double.NaN, true, List.of(), Double.NaN, 2048);
    assertEquals(
        1280,
        ProfilePlanner.plan(
                new JobDemand("job", "v1", true, "", 2, 1024, 1, List.of(roomy)),
                settings(Map.of()))
            .stages()
            .get(0)
            .needMib());
    StageDemand small =
        new StageDemand(
            "scan", "scan", 4, 20, 25, 0.4, Double.NaN, true, List.of(), Double.NaN, 512);
    assertTrue(
        ProfilePlanner.plan(
                    new JobDemand("job", "v1", true, "", 2, 1024, 1, List.of(small)),
                    settings(Map.of()))
                .stages()
                .get(0)
                .needMib()
            < 1024);
  }

  @Test
  void aSpillAddsToTheNeedButARoundingAboveZeroDoesNot() {
    // 0.1 GiB of execution memory per task at 2 cores: 0.1 x 2 / 0.6 + 0.29 GiB, 768 MiB with
    // headroom.
    StageDemand none =
        new StageDemand("s", "s", 40, 20, 25, Double.NaN, 0.1, true, List.of(), 0.002);
    StagePlan plain =
        ProfilePlanner.plan(
                new JobDemand("job", "v1", true, "", 2, 512, 1, List.of(none)), settings(Map.of()))
            .stages()
            .get(0);
    assertEquals(768, plain.needMib(), plain.reason());
    assertFalse(plain.reason().contains("spilled"), plain.reason());
    // 0.8 GiB spilled over 8 tasks is 0.3 GiB more in memory per task.
    StageDemand spilled =
        new StageDemand("s", "s", 8, 20, 25, Double.NaN, 0.1, true, List.of(), 0.8);
    StagePlan more =
        ProfilePlanner.plan(
                new JobDemand("job", "v1", true, "", 2, 512, 1, List.of(spilled)),
                settings(Map.of()))
            .stages()
            .get(0);
    assertTrue(more.reason().contains("+ 0.30 GiB it spilled"), more.reason());
    assertEquals(1920, more.needMib(), more.reason());
  }
}
