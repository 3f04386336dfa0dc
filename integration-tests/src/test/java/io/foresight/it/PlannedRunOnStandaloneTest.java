package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.examples.EmbeddedCluster;
import io.foresight.examples.SkewedMemoryJob;
import io.foresight.history.HistoryViews;
import io.foresight.plan.ResourcePlan;
import io.foresight.spark.ForesightPlugin;
import io.foresight.spark.plan.ActivePlan;
import io.foresight.testing.LocalSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance, end to end on a real standalone cluster: a recurring job's history is captured,
 * models are trained, and the next run, with only {@code spark.plugins} and the history settings,
 * starts executors of at least two profiles with the planned shapes, runs each planned shuffle-map
 * stage on its planned profile, and returns the same results as a run without Foresight.
 */
class PlannedRunOnStandaloneTest {
  static final String JOB = "skewed-memory-job";

  /**
   * Runs of history before the planned one. Calibrated bounds need held-out runs, which a job has
   * from 5 runs on; with 4 every stage stays "not confident" and nothing is planned. Six leave a
   * margin and keep this test, the suite's longest, short.
   */
  static final int HISTORY_RUNS = 6;

  @TempDir Path root;

  private SparkSession.Builder driver(EmbeddedCluster cluster, String name) {
    return LocalSpark.builder(cluster.url(), root.resolve("driver-" + name))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
  }

  private Map<String, String> foresight(int day) {
    Map<String, String> c = new HashMap<>();
    c.put("spark.plugins", ForesightPlugin.class.getName());
    c.put("spark.foresight.history.path", root.resolve("history").toString());
    c.put("spark.foresight.spool.dir", root.resolve("spool").toString());
    c.put("spark.foresight.job.id", JOB);
    // The job's stages take seconds, where a second profile never pays for its executors' start-up
    // (the default profileCost keeps such a job on one shape). This test is about applying a
    // multi-profile plan, so it prices profiles at zero.
    c.put("spark.foresight.planner.profileCost", "0");
    // The cluster's size, as a user of this 8-core, 8 GiB worker declares it: the executors of all
    // profiles together fit on it. A profile whose executors cannot start would leave its stage
    // waiting forever (Spark has no timeout for that).
    c.put("spark.foresight.caps.maxExecutors", "4");
    c.put("spark.foresight.caps.executorCores", "2");
    c.put("spark.foresight.caps.executorMemory", "2g");
    c.put(
        "spark.foresight.job.scheduledTime",
        Instant.parse("2026-11-01T02:00:00Z").plus(day, ChronoUnit.DAYS).toString());
    return c;
  }

  @Test
  void theNextRunUsesThePlannedProfiles() throws Exception {
    Path lineitem = TpchTestTables.prepare(root, 0.05).resolve("lineitem");
    String history = root.resolve("history").toString();
    try (EmbeddedCluster cluster =
        EmbeddedCluster.start(root, 8, "8g", ChildJvm.moduleClasspath())) {
      // 1. History: the job on one static executor of 2 cores and 512 MiB, as it ran before.
      for (int day = 0; day < HISTORY_RUNS; day++) {
        SparkSession.Builder b =
            driver(cluster, "h" + day)
                .config("spark.executor.cores", "2")
                .config("spark.executor.memory", "512m")
                .config("spark.cores.max", "2");
        foresight(day).forEach(b::config);
        SparkSession s = b.getOrCreate();
        try {
          SkewedMemoryJob.run(s, lineitem);
        } finally {
          s.stop();
        }
      }
      // 2. Models.
      assertEquals(0, cli("train", "--history", history, "--quantile", "0.9"), lastErr);
      assertEquals(
          0,
          cli(
              "plan",
              "--job",
              JOB,
              "--history",
              history,
              "--no-record",
              "--conf",
              "spark.foresight.planner.profileCost=0",
              "--conf",
              "spark.foresight.caps.maxExecutors=4"),
          lastErr);
      assertTrue(
          lastOut.contains("actionable: default executors and 1 stage profile(s), sized for"),
          lastOut);

      // 3. The same day without Foresight, for the results.
      SparkSession plain = driver(cluster, "plain").config("spark.cores.max", "2").getOrCreate();
      List<Row> expected;
      try {
        expected = SkewedMemoryJob.run(plain, lineitem);
      } finally {
        plain.stop();
      }

      // 4. The next run: spark.plugins and the history settings only.
      SparkSession.Builder b = driver(cluster, "planned");
      foresight(HISTORY_RUNS).forEach(b::config);
      SparkSession spark = b.getOrCreate();
      Set<Integer> executorProfiles = ConcurrentHashMap.newKeySet();
      Map<Integer, Integer> executorCores = new ConcurrentHashMap<>();
      spark
          .sparkContext()
          .addSparkListener(
              new SparkListener() {
                @Override
                public void onExecutorAdded(SparkListenerExecutorAdded e) {
                  executorProfiles.add(e.executorInfo().resourceProfileId());
                  executorCores.put(
                      e.executorInfo().resourceProfileId(), e.executorInfo().totalCores());
                }
              });
      String appId = spark.sparkContext().applicationId();
      ResourcePlan plan;
      Map<Integer, Integer> sparkIdOfIndex = new HashMap<>();
      Map<Integer, Long> memoryOfSparkId = new HashMap<>();
      try {
        List<Row> actual = SkewedMemoryJob.run(spark, lineitem);
        assertEquals(expected, actual, "results unchanged");
        ActivePlan active = ActivePlan.current();
        assertNotNull(active, "a plan with stage profiles is active");
        plan = active.plan();
        assertTrue(plan.profiles().size() >= 2, "profiles: " + plan.profiles());
        for (ResourcePlan.Profile p : plan.profiles()) {
          int id = active.profileId(p.index());
          sparkIdOfIndex.put(p.index(), id);
          ResourceProfile rp =
              spark.sparkContext().resourceProfileManager().resourceProfileFromId(id);
          memoryOfSparkId.put(id, rp.executorResources().get("memory").get().amount());
        }
        assertEquals(
            plan.defaultProfile().shape().memory(), spark.conf().get("spark.executor.memory"));
        assertEquals("true", spark.conf().get("spark.dynamicAllocation.enabled"));
      } finally {
        spark.stop();
      }
      assertTrue(executorProfiles.size() >= 2, "executors of two profiles: " + executorProfiles);
      for (ResourcePlan.Profile p : plan.profiles()) {
        int id = sparkIdOfIndex.get(p.index());
        assertEquals((long) p.shape().memoryMib(), memoryOfSparkId.get(id), "memory of " + p);
        if (executorCores.containsKey(id)) {
          assertEquals(p.shape().cores(), executorCores.get(id), "cores of " + p);
        }
      }

      SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
      try {
        HistoryViews.register(reader, history);
        Row planRow =
            reader
                .sql("SELECT applied, profiles FROM foresight.plans WHERE app_id = '" + appId + "'")
                .first();
        assertTrue(planRow.getBoolean(0));
        assertEquals(plan.profiles().size(), planRow.getInt(1));
        // the forecast the plan came from, under the run's id, joined with what the run did
        Row predicted =
            reader
                .sql(
                    "SELECT count_if(scope = 'job'), count_if(scope = 'stage'),"
                        + " count(DISTINCT signature) FROM foresight.predictions"
                        + " WHERE source = 'plugin' AND run_id = '"
                        + appId
                        + "'")
                .first();
        assertEquals(3L, predicted.getLong(0), "job-level rows");
        assertEquals(7 * predicted.getLong(2), predicted.getLong(1), "seven targets per stage");
        assertTrue(predicted.getLong(2) >= plan.stages().size(), predicted + " " + plan.stages());
        // forecast at the executors the run started with (the plan's), not the history's usual
        // 1 x 2 cores
        List<Row> shapes =
            reader
                .sql(
                    "SELECT DISTINCT executor_cores, executors FROM foresight.predictions"
                        + " WHERE source = 'plugin' AND run_id = '"
                        + appId
                        + "'")
                .collectAsList();
        assertEquals(1, shapes.size(), shapes.toString());
        assertEquals(plan.defaultProfile().shape().cores(), shapes.get(0).getInt(0), "cores");
        assertEquals(plan.maxExecutors(), shapes.get(0).getInt(1), "executors " + plan);
        Row wall =
            reader
                .sql(
                    "SELECT point, actual FROM foresight.prediction_accuracy WHERE run_id = '"
                        + appId
                        + "' AND target = 'job_wall_clock_seconds'")
                .first();
        assertTrue(wall.getDouble(0) > 0 && wall.getDouble(1) > 0, wall.toString());
        List<Row> stages =
            reader
                .sql(
                    "SELECT stage_id, signature, resource_profile_id FROM foresight.stages"
                        + " WHERE app_id = '"
                        + appId
                        + "' AND shuffle_write_bytes > 0")
                .collectAsList();
        int planned = 0;
        for (Row r : stages) {
          boolean known = plan.stages().stream().anyMatch(s -> s.key().equals(r.getString(1)));
          if (!known) {
            continue;
          }
          int expectedId = sparkIdOfIndex.get(plan.profileOf(r.getString(1)));
          assertEquals(expectedId, r.getInt(2), "stage " + r.get(0) + " " + r.getString(1));
          planned += expectedId != 0 ? 1 : 0;
        }
        assertTrue(planned >= 1, "stages on a non-default profile: " + stages + "\n" + plan);
      } finally {
        reader.stop();
      }
    }
  }

  private String lastOut = "";
  private String lastErr = "";

  private int cli(String... argv) throws Exception {
    CliCall c = CliCall.run(argv);
    lastOut = c.out();
    lastErr = c.err();
    return c.rc();
  }
}
