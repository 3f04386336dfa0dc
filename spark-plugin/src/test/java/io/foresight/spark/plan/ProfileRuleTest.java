package io.foresight.spark.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.plan.PlannerSettings;
import io.foresight.plan.ResourcePlan;
import io.foresight.plan.SparkPlanTrees;
import io.foresight.plan.StageDag;
import io.foresight.plan.StageKeys;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL extension in a local session, where Spark refuses stage-level profiles: the profile node
 * is placed, Spark's refusal at run time leaves the query running unplanned with the same result
 * and a counted failure. And the node's equality includes its profile.
 */
class ProfileRuleTest {
  @TempDir Path root;

  @Test
  void aRefusedProfileLeavesTheQueryRunningUnplanned() {
    SparkSession spark =
        LocalSpark.start(
            root,
            Map.of(
                "spark.sql.extensions",
                "io.delta.sql.DeltaSparkSessionExtension," + ForesightExtensions.class.getName()));
    try {
      String sql =
          "SELECT k, count(*) AS n, sum(v) AS s FROM (SELECT id % 7 AS k, id AS v FROM range(0,"
              + " 100000, 1, 4)) GROUP BY k ORDER BY k";
      Dataset<Row> plain = spark.sql(sql);
      List<Row> expected = plain.collectAsList();
      List<String> keys = new ArrayList<>();
      for (StageDag.Stage s :
          StageDag.of(SparkPlanTrees.of(plain.queryExecution().executedPlan())).stages()) {
        if (s.kind() == StageKeys.Kind.SHUFFLE) {
          keys.add(s.key());
        }
      }
      assertTrue(!keys.isEmpty());
      List<ResourcePlan.StagePlan> stages = new ArrayList<>();
      keys.forEach(k -> stages.add(new ResourcePlan.StagePlan(k, k, 1, 600, false, "test")));
      ResourcePlan plan =
          new ResourcePlan(
              "job",
              "v",
              true,
              "test",
              1,
              0,
              2,
              List.of(
                  new ResourcePlan.Profile(0, new ResourcePlan.Shape(1, 512, 0), List.of()),
                  new ResourcePlan.Profile(1, new ResourcePlan.Shape(1, 768, 0), keys)),
              stages,
              Map.of(),
              0);
      ActivePlan active =
          ActivePlan.install(spark.sparkContext(), plan, PlannerSettings.defaults());
      Dataset<Row> planned = spark.sql(sql);
      assertEquals(expected, planned.collectAsList(), "same result, unplanned");
      assertTrue(
          planned.queryExecution().executedPlan().treeString().contains("ForesightProfile"),
          planned.queryExecution().executedPlan().treeString());
      assertTrue(active.placed() >= 1);
      assertTrue(active.failures() >= 1, "Spark's refusal is counted");
    } finally {
      ActivePlan.uninstall(spark.sparkContext());
      spark.stop();
    }
  }

  @Test
  void theProfileIsPartOfTheNodesEquality() {
    SparkSession spark = LocalSpark.start(root, Map.of());
    try {
      SparkPlan child = spark.range(10).queryExecution().executedPlan();
      ResourceProfile a =
          new ResourceProfileBuilder().require(new TaskResourceRequests().cpus(1)).build();
      ResourceProfile b =
          new ResourceProfileBuilder().require(new TaskResourceRequests().cpus(1)).build();
      assertEquals(new ForesightProfileExec(child, a), new ForesightProfileExec(child, a));
      assertEquals(
          new ForesightProfileExec(child, a).hashCode(),
          new ForesightProfileExec(child, a).hashCode());
      assertNotEquals(new ForesightProfileExec(child, a), new ForesightProfileExec(child, b));
      assertNotEquals(
          new ForesightProfileExec(child, a).canonicalized(),
          new ForesightProfileExec(child, b).canonicalized());
      assertEquals(child.supportsColumnar(), new ForesightProfileExec(child, a).supportsColumnar());
      assertEquals(child.output(), new ForesightProfileExec(child, a).output());
    } finally {
      spark.stop();
    }
  }
}
