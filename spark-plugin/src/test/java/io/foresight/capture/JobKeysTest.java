package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobKeysTest {
  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      value = {
        "NewYorkTaxiData_2025_06_27_00;org.apache.spark.deploy.PythonRunner;newyorktaxidata",
        "NewYorkTaxiData_2025_06_27_03;org.apache.spark.deploy.PythonRunner;newyorktaxidata",
        "nightly-etl 2026-11-22;com.acme.Etl;nightly-etl@com.acme.Etl",
        "nightly-etl 2026-11-23T04:00:00;com.acme.Etl;nightly-etl@com.acme.Etl",
        "ingest-3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b;NULL;ingest",
        "Spark shell;org.apache.spark.repl.Main;spark-shell",
        "run 42 of job;NULL;run-of-job",
        "2026-11-22;com.acme.Etl;com.acme.Etl",
        "12345;NULL;unnamed",
      })
  void runSpecificPartsAreRemoved(String name, String main, String key) {
    assertEquals(key, JobKeys.derive(null, name, main));
  }

  @ParameterizedTest(name = "{0} / {1}: {2}")
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      value = {
        "Spark shell;org.apache.spark.repl.Main;an interactive shell (org.apache.spark.repl.Main)",
        "my session;org.apache.spark.repl.Main;an interactive shell (org.apache.spark.repl.Main)",
        "SparkSQL::10.0.0.1;org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver;an interactive"
            + " shell (org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver)",
        "PySparkShell;org.apache.spark.deploy.SparkSubmit;a shell or notebook session under its"
            + " default name (key 'pysparkshell')",
        "SparkR;org.apache.spark.deploy.RRunner;a shell or notebook session under its default name"
            + " (key 'sparkr')",
        "Databricks Shell;com.databricks.backend.daemon.driver.DriverDaemon;a shell or notebook"
            + " session under its default name (key"
            + " 'databricks-shell@com.databricks.backend.daemon.driver.DriverDaemon')",
        "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b;org.apache.spark.deploy.SparkSubmit;an application"
            + " named only by ids or dates, with no main class of its own",
        "nightly-etl 2026-11-22;com.acme.Etl;NULL",
        "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b;com.acme.Etl;NULL",
        "PySparkShell-orders;org.apache.spark.deploy.SparkSubmit;NULL",
        "newyorktaxidata;org.apache.spark.deploy.PythonRunner;NULL",
      })
  void shellSessionsAndNamelessApplicationsAreNotRecurringJobs(
      String name, String main, String why) {
    assertEquals(why, JobKeys.notRecurring(null, name, main));
    // a job id says the sessions are runs of one job
    assertEquals(null, JobKeys.notRecurring("team.notebook", name, main));
  }

  @Test
  void aDatabricksJobRunIsKeyedByItsJob() {
    assertEquals("databricks-job-313", JobKeys.givenId(null, "313"));
    assertEquals("databricks-job-313", JobKeys.givenId(" ", " 313 "));
    assertEquals("nightly", JobKeys.givenId(" nightly ", "313"), "Foresight's own id wins");
    assertEquals(null, JobKeys.givenId(null, null));
    assertEquals(null, JobKeys.givenId("", ""));
    // at start-up, from the name of the cluster Databricks created for the run
    assertEquals("313", JobKeys.databricksJobId(null, "job-313-run-18"));
    assertEquals("313", JobKeys.databricksJobId("313", "shared-etl-cluster"));
    assertEquals(null, JobKeys.databricksJobId(null, "shared-etl-cluster"));
    assertEquals(null, JobKeys.databricksJobId(null, "job-x-run-1"));
    assertEquals(null, JobKeys.databricksJobId(null, null));
    // a job's run on Databricks is named "Databricks Shell", but it is no interactive session
    assertEquals(
        null,
        JobKeys.notRecurring(
            JobKeys.givenId(null, "313"),
            "Databricks Shell",
            "com.databricks.backend.daemon.driver.DriverDaemon"));
  }

  @Test
  void explicitIdWins() {
    assertEquals("billing.daily", JobKeys.derive(" billing.daily ", "anything 2026", "x.Y"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      value = {
        "org.apache.spark.deploy.SparkSubmit --master yarn --class com.acme.Etl app.jar 2026;com.acme.Etl",
        "org.apache.spark.deploy.SparkSubmit --master yarn /jobs/etl.py --day 1;org.apache.spark.deploy.PythonRunner",
        "io.foresight.examples.Demo --runs 4;io.foresight.examples.Demo",
        "NULL;NULL",
        "*********(redacted);NULL",
      })
  void mainClassComesFromTheJavaCommand(String command, String main) {
    assertEquals(main, JobKeys.mainClass(command));
  }
}
