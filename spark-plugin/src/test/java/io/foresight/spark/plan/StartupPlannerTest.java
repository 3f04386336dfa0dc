package io.foresight.spark.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.plan.JobDemand;
import io.foresight.plan.PlannerConf;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ProfilePlanner;
import io.foresight.plan.ResourcePlan;
import io.foresight.plan.StageDemand;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The start-up rewrite of the live conf: what is written, what is kept, when nothing changes. */
class StartupPlannerTest {
  static ResourcePlan plan(boolean confident) {
    List<StageDemand> stages =
        List.of(
            new StageDemand("a", "a", 8, 900, 1000, 1.5, Double.NaN, true, List.of()),
            new StageDemand("b", "b", 8, 30, 40, 6.0, Double.NaN, true, List.of()));
    return ProfilePlanner.plan(
        new JobDemand("job", "v1", confident, confident ? "" : "Job has 1 run", 2, 1024, 3, stages),
        PlannerSettings.defaults());
  }

  static SparkConf local(String master) {
    return new SparkConf(false).set("spark.master", master);
  }

  static SparkConf cluster() {
    return new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077");
  }

  @Test
  void aConfidentPlanRewritesShapeCountsAndAddsTheExtension() {
    SparkConf conf = cluster().set("spark.sql.extensions", "com.acme.Ext");
    ResourcePlan p = plan(true);
    assertTrue(p.hasStageProfiles());
    StartupPlanner.Outcome o = StartupPlanner.apply(conf, p, PlannerSettings.defaults());
    assertTrue(o.applied());
    assertTrue(o.stageProfiles());
    assertEquals(p.defaultProfile().shape().memory(), conf.get("spark.executor.memory"));
    assertEquals("true", conf.get("spark.dynamicAllocation.enabled"));
    assertEquals("true", conf.get("spark.dynamicAllocation.shuffleTracking.enabled"));
    assertEquals(
        Integer.toString(p.initialExecutors()),
        conf.get("spark.dynamicAllocation.initialExecutors"));
    assertEquals(
        "com.acme.Ext," + ForesightExtensions.class.getName(), conf.get("spark.sql.extensions"));
    assertEquals(p.defaultProfile().shape().memory(), o.changes().get("spark.executor.memory"));
  }

  @Test
  void theUsersExplicitValuesWinUnlessOverride() {
    SparkConf conf = cluster().set("spark.executor.memory", "3g");
    StartupPlanner.Outcome o = StartupPlanner.apply(conf, plan(true), PlannerSettings.defaults());
    assertEquals("3g", conf.get("spark.executor.memory"));
    assertFalse(o.changes().containsKey("spark.executor.memory"));
    assertTrue(o.reason().contains("kept the user's"), o.reason());

    SparkConf forced = cluster().set("spark.executor.memory", "3g");
    PlannerSettings override =
        PlannerConf.parse(Map.of("spark.foresight.planner.override", "true"));
    StartupPlanner.apply(forced, plan(true), override);
    assertEquals(plan(true).defaultProfile().shape().memory(), forced.get("spark.executor.memory"));
  }

  @Test
  void dynamicAllocationTurnedOffByTheUserStaysOffAndStageProfilesAreDropped() {
    SparkConf conf = cluster().set("spark.dynamicAllocation.enabled", "false");
    PlannerSettings override =
        PlannerConf.parse(Map.of("spark.foresight.planner.override", "true"));
    StartupPlanner.Outcome o = StartupPlanner.apply(conf, plan(true), override);
    assertEquals("false", conf.get("spark.dynamicAllocation.enabled"));
    assertFalse(o.stageProfiles());
    assertFalse(conf.contains("spark.sql.extensions"));
    assertEquals(
        Integer.toString(plan(true).initialExecutors()), conf.get("spark.executor.instances"));
  }

  @Test
  void lowConfidenceObserveModeAndLocalMasterChangeNothing() {
    SparkConf low = cluster();
    assertFalse(StartupPlanner.apply(low, plan(false), PlannerSettings.defaults()).applied());
    SparkConf observe = cluster();
    PlannerSettings obs = PlannerConf.parse(Map.of("spark.foresight.planner.mode", "observe"));
    StartupPlanner.Outcome o = StartupPlanner.apply(observe, plan(true), obs);
    assertFalse(o.applied());
    assertTrue(o.reason().contains("observe"));
    SparkConf local = new SparkConf(false).set("spark.master", "local[2]");
    assertFalse(StartupPlanner.apply(local, plan(true), PlannerSettings.defaults()).applied());
    for (SparkConf c : List.of(low, observe, local)) {
      assertFalse(c.contains("spark.executor.memory"));
      assertFalse(c.contains("spark.dynamicAllocation.enabled"));
      assertFalse(c.contains("spark.sql.extensions"));
    }
  }

  private static StartupPlanner.Shape shape(SparkConf conf) {
    return StartupPlanner.configuredShape(conf, null);
  }

  private static StartupPlanner.Shape shape(Integer cores, Integer executors) {
    return new StartupPlanner.Shape(cores, executors);
  }

  @Test
  void theShapeTheRunStartsWithIsReadFromTheConfAfterThePlan() {
    // applied: the plan's cores, and the count it found useful as dynamic allocation's cap
    SparkConf planned = cluster();
    ResourcePlan p = plan(true);
    StartupPlanner.Outcome applied = StartupPlanner.apply(planned, p, PlannerSettings.defaults());
    assertEquals(
        shape(p.defaultProfile().shape().cores(), p.maxExecutors()),
        StartupPlanner.configuredShape(planned, applied));
    // the user's own cap kept over the plan's: a cap, not a count
    SparkConf capped = cluster().set("spark.dynamicAllocation.maxExecutors", "50");
    StartupPlanner.Outcome kept = StartupPlanner.apply(capped, p, PlannerSettings.defaults());
    assertEquals(
        shape(p.defaultProfile().shape().cores(), null),
        StartupPlanner.configuredShape(capped, kept));
    // observe mode leaves the user's dynamic allocation: count not known
    SparkConf observed =
        cluster()
            .set("spark.executor.cores", "2")
            .set("spark.dynamicAllocation.enabled", "true")
            .set("spark.dynamicAllocation.maxExecutors", "4");
    StartupPlanner.Outcome observe =
        StartupPlanner.apply(
            observed, p, PlannerConf.parse(Map.of("spark.foresight.planner.mode", "observe")));
    assertEquals(shape(2, null), StartupPlanner.configuredShape(observed, observe));

    // the user's static executors, or standalone's cores.max over the cores
    assertEquals(
        shape(4, 3),
        shape(cluster().set("spark.executor.cores", "4").set("spark.executor.instances", "3")));
    assertEquals(
        shape(2, 4), shape(cluster().set("spark.executor.cores", "2").set("spark.cores.max", "8")));
    assertEquals(
        shape(null, null),
        shape(
            cluster()
                .set("spark.dynamicAllocation.enabled", "true")
                .set("spark.executor.instances", "5")));
    assertEquals(shape(null, null), shape(cluster()));
    assertEquals(
        shape(null, null),
        shape(cluster().set("spark.executor.cores", "two").set("spark.executor.instances", "0")));

    // local mode: one executor, the master's threads; executor settings mean nothing there
    assertEquals(
        shape(3, 1),
        shape(
            local("local[3]")
                .set("spark.executor.cores", "2")
                .set("spark.executor.instances", "5")));
    assertEquals(shape(1, 1), shape(local("local")));
    assertEquals(shape(4, 1), shape(local("local[4,2]")));
    assertEquals(shape(Runtime.getRuntime().availableProcessors(), 1), shape(local("local[*]")));
    assertEquals(shape(null, null), shape(local("local-cluster[2,1,1024]")));
    assertEquals(shape(null, null), shape(local("local[0]")));
  }
}
