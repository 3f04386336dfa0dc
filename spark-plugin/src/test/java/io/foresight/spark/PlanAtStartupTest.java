package io.foresight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Which applications the planner plans as runs of a recurring job. */
class PlanAtStartupTest {
  // what the driver's sun.java.command is when spark-shell and spark-submit start it
  private static final String SPARK_SHELL =
      "org.apache.spark.deploy.SparkSubmit --class org.apache.spark.repl.Main --name Spark shell"
          + " spark-shell";
  private static final String SUBMIT =
      "org.apache.spark.deploy.SparkSubmit --master yarn --class com.acme.Etl etl.jar 2026-12-05";

  @Test
  void aShellSessionIsNotPlannedUnlessAJobIdNamesIt() {
    SparkConf shell = new SparkConf(false).set("spark.app.name", "Spark shell");
    assertNull(PlanAtStartup.jobToPlan(shell, SPARK_SHELL));
    // nor is a pyspark notebook's session under the shell's name
    SparkConf notebook = new SparkConf(false).set("spark.app.name", "PySparkShell");
    assertNull(
        PlanAtStartup.jobToPlan(notebook, "org.apache.spark.deploy.SparkSubmit pyspark-shell"));

    shell.set("spark.foresight.job.id", "team.daily-notebook");
    assertEquals("team.daily-notebook", PlanAtStartup.jobToPlan(shell, SPARK_SHELL));
  }

  @Test
  void aDatabricksJobsRunIsPlannedUnderItsJob() {
    // the conf of job 313's run 18 at start-up, as the corpus's Databricks log records it
    SparkConf run =
        new SparkConf(false)
            .set("spark.app.name", "Databricks Shell")
            .set("spark.databricks.clusterUsageTags.clusterName", "job-313-run-18");
    String daemon = "com.databricks.backend.daemon.driver.DriverDaemon";
    assertEquals("databricks-job-313", PlanAtStartup.jobToPlan(run, daemon));
    // a notebook on an all-purpose cluster is a session, not a job
    run.set("spark.databricks.clusterUsageTags.clusterName", "analysts");
    assertNull(PlanAtStartup.jobToPlan(run, daemon));
  }

  @Test
  void aSubmittedJobIsPlannedUnderItsKey() {
    SparkConf etl = new SparkConf(false).set("spark.app.name", "nightly-etl 2026-12-05");
    assertEquals("nightly-etl@com.acme.Etl", PlanAtStartup.jobToPlan(etl, SUBMIT));
  }
}
