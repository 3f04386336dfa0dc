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
  void aSubmittedJobIsPlannedUnderItsKey() {
    SparkConf etl = new SparkConf(false).set("spark.app.name", "nightly-etl 2026-12-05");
    assertEquals("nightly-etl@com.acme.Etl", PlanAtStartup.jobToPlan(etl, SUBMIT));
  }
}
