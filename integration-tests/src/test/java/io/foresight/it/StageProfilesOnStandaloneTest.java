package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.examples.EmbeddedCluster;
import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ResourcePlan;
import io.foresight.plan.SparkPlanTrees;
import io.foresight.plan.StageDag;
import io.foresight.plan.StageKeys;
import io.foresight.spark.plan.ActivePlan;
import io.foresight.spark.plan.ForesightExtensions;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real standalone cluster, for TPC-H queries 1 to 22 with AQE on and off, the SQL extension
 * puts the shuffle-map stages a plan assigns to a profile on that profile's executors, the results
 * do not change, and no row/columnar transition is added.
 */
class StageProfilesOnStandaloneTest {
  @TempDir Path root;

  @Test
  void plannedStagesRunOnTheirProfilesAndResultsDoNotChange() throws Exception {
    Path tables = TpchTestTables.prepare(root, 0.01);
    // Room for every executor the test's profiles can hold at once, even all pinned by their
    // shuffle files: 2 of 1 core and 512 MiB (default), and 2 of 2 cores and 768 MiB for each of
    // the two plans installed (AQE on, then off): 10 cores, 4 GiB.
    try (EmbeddedCluster cluster =
        EmbeddedCluster.start(root, 10, "6g", ChildJvm.moduleClasspath())) {
      SparkSession spark =
          LocalSpark.builder(cluster.url(), root.resolve("driver"))
              .config("spark.executor.memory", "512m")
              .config("spark.executor.cores", "1")
              .config("spark.dynamicAllocation.enabled", "true")
              .config("spark.dynamicAllocation.shuffleTracking.enabled", "true")
              .config("spark.dynamicAllocation.maxExecutors", "2")
              // Executors are kept between queries: a 5 s shuffle-tracking timeout removed
              // executors whose shuffle output a later stage still read (recomputed stages), and a
              // 2 s idle timeout relaunched executors between queries; the test took 2.4x longer.
              .config("spark.dynamicAllocation.executorIdleTimeout", "60s")
              .config("spark.dynamicAllocation.shuffleTracking.timeout", "120s")
              .config(
                  "spark.sql.extensions",
                  "io.delta.sql.DeltaSparkSessionExtension," + ForesightExtensions.class.getName())
              .getOrCreate();
      Map<Integer, Integer> stageProfile = new ConcurrentHashMap<>();
      Set<Integer> executorProfiles = ConcurrentHashMap.newKeySet();
      Map<Integer, Integer> executorCores = new ConcurrentHashMap<>();
      spark
          .sparkContext()
          .addSparkListener(
              new SparkListener() {
                @Override
                public void onStageSubmitted(SparkListenerStageSubmitted e) {
                  stageProfile.put(e.stageInfo().stageId(), e.stageInfo().resourceProfileId());
                }

                @Override
                public void onExecutorAdded(SparkListenerExecutorAdded e) {
                  executorProfiles.add(e.executorInfo().resourceProfileId());
                  executorCores.put(
                      e.executorInfo().resourceProfileId(), e.executorInfo().totalCores());
                }
              });
      try {
        TpchTestTables.register(spark, tables);
        for (boolean aqe : List.of(true, false)) {
          spark.conf().set("spark.sql.adaptive.enabled", Boolean.toString(aqe));
          // Without Foresight: results, plans and the shuffle-map stages of all 22 queries.
          ActivePlan.uninstall(spark.sparkContext());
          Map<Integer, List<Row>> expected = new HashMap<>();
          Map<Integer, String> plainPlans = new HashMap<>();
          List<String> mapKeys = new ArrayList<>();
          for (int q = 1; q <= 22; q++) {
            Dataset<Row> plain = spark.sql(TpchTestTables.query(q));
            expected.put(q, plain.collectAsList());
            plainPlans.put(q, plain.queryExecution().executedPlan().treeString());
            for (StageDag.Stage s :
                StageDag.of(SparkPlanTrees.of(plain.queryExecution().executedPlan())).stages()) {
              if (s.kind() == StageKeys.Kind.SHUFFLE && !mapKeys.contains(s.key())) {
                mapKeys.add(s.key());
              }
            }
          }
          // One plan for the application, as the plugin installs it: every map stage on profile 1.
          ActivePlan active =
              ActivePlan.install(
                  spark.sparkContext(), planPuttingOnProfile(mapKeys), PlannerSettings.defaults());
          int profileId = active.profileId(1);
          for (int q = 1; q <= 22; q++) {
            stageProfile.clear();
            Dataset<Row> planned = spark.sql(TpchTestTables.query(q));
            List<Row> actual = planned.collectAsList();
            assertEquals(expected.get(q), actual, "q" + q + " aqe=" + aqe + ": results unchanged");
            String plannedPlan = planned.queryExecution().executedPlan().treeString();
            assertTrue(plannedPlan.contains("ForesightProfile profile " + profileId), plannedPlan);
            assertEquals(
                count(plainPlans.get(q), "ColumnarToRow"),
                count(plannedPlan, "ColumnarToRow"),
                "no extra columnar-to-row transitions:\n" + plannedPlan);
            long onProfile = stageProfile.values().stream().filter(p -> p == profileId).count();
            assertTrue(
                onProfile >= 1,
                "q" + q + " aqe=" + aqe + ": stages on the planned profile " + stageProfile);
          }
        }
        assertTrue(executorProfiles.contains(0), "default executors: " + executorProfiles);
        assertTrue(
            executorProfiles.size() >= 2,
            "executors of at least two profiles: " + executorProfiles);
        executorProfiles.stream()
            .filter(p -> p != 0)
            .forEach(p -> assertEquals(2, executorCores.get(p), "planned cores of profile " + p));
      } finally {
        ActivePlan.uninstall(spark.sparkContext());
        spark.stop();
      }
    }
  }

  /** Every given stage on profile 1: 2 cores, 768 MiB. */
  private static ResourcePlan planPuttingOnProfile(List<String> keys) {
    List<ResourcePlan.StagePlan> stages = new ArrayList<>();
    for (String k : keys) {
      stages.add(new ResourcePlan.StagePlan(k, k, 1, 700, false, "test"));
    }
    return new ResourcePlan(
        "test-job",
        "test",
        true,
        "test",
        1,
        0,
        2,
        List.of(
            new ResourcePlan.Profile(0, new ResourcePlan.Shape(1, 512, 0), List.of()),
            new ResourcePlan.Profile(1, new ResourcePlan.Shape(2, 768, 0), List.copyOf(keys))),
        stages,
        Map.of(),
        0);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
