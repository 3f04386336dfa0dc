package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.history.HistoryViews;
import io.foresight.spark.ForesightPlugin;
import io.foresight.testing.LocalSpark;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planted secrets never reach a history table or a Foresight log line. */
class RedactionTest {
  @TempDir Path root;

  static final String CONF_SECRET = "PLANTED-CONF-SECRET";
  static final String JDBC_PASSWORD = "PLANTED-JDBC-PW";
  static final String SQL_LITERAL = "PLANTED-SQL-LITERAL";
  static final String JDBC_URL =
      "jdbc:postgresql://db:5432/sales?user=etl&password=" + JDBC_PASSWORD;

  @Test
  void plantedSecretsAreAbsentFromTablesAndLogs() throws Exception {
    Path history = root.resolve("history");
    StringWriter logs = new StringWriter();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    try {
      SparkSession spark =
          LocalSpark.start(
              root.resolve("spark"),
              Map.of(
                  "spark.plugins",
                  ForesightPlugin.class.getName(),
                  "spark.foresight.history.path",
                  history.toString(),
                  "spark.foresight.spool.dir",
                  root.resolve("spool").toString(),
                  "spark.rapids.sql.secretToken",
                  CONF_SECRET,
                  "spark.dynamicAllocation.sourceUrl",
                  JDBC_URL,
                  "spark.sql.redaction.string.regex",
                  "PLANTED-SQL-[A-Z]+"));
      // Spark (re)configures log4j while it starts, so attach the capture afterwards.
      WriterAppender appender =
          WriterAppender.createAppender(
              PatternLayout.newBuilder().withPattern("%c %p %m %ex%n").build(),
              null,
              logs,
              "redaction-test",
              false,
              true);
      appender.start();
      LoggerConfig foresight = new LoggerConfig("io.foresight", Level.ALL, true);
      foresight.addAppender(appender, Level.ALL, null);
      ctx.getConfiguration().addLogger("io.foresight", foresight);
      ctx.updateLoggers();
      try {
        spark.sparkContext().setJobGroup("load " + JDBC_URL, "jdbc load", false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        assertThrows(
            Exception.class,
            () ->
                jsc.parallelize(List.of(1, 2), 2)
                    .map(
                        x -> {
                          throw new IllegalStateException("cannot connect to " + JDBC_URL);
                        })
                    .collect());
        spark.sparkContext().clearJobGroup();
        assertThrows(
            Exception.class,
            () -> spark.sql("SELECT raise_error('" + SQL_LITERAL + "')").collectAsList());
        assertEquals(1L, spark.sql("SELECT 1").count());
      } finally {
        spark.stop();
      }
    } finally {
      ctx.getConfiguration().removeLogger("io.foresight");
      ctx.updateLoggers();
      Configurator.setLevel("io.foresight", Level.INFO);
    }

    SparkSession reader = LocalSpark.start(root.resolve("reader"), Map.of());
    try {
      HistoryViews.register(reader, history.toString());
      StringBuilder all = new StringBuilder();
      for (String t : List.of("apps", "jobs", "stages", "executors")) {
        for (Row r : reader.sql("SELECT to_json(struct(*)) FROM foresight." + t).collectAsList()) {
          all.append(r.getString(0)).append('\n');
        }
      }
      String tables = all.toString();
      for (String secret : List.of(CONF_SECRET, JDBC_PASSWORD, SQL_LITERAL)) {
        assertFalse(tables.contains(secret), secret + " leaked into the tables");
        assertFalse(logs.toString().contains(secret), secret + " leaked into the logs");
      }
      // The places the secrets were planted were recorded, redacted.
      assertTrue(tables.contains("\"spark.rapids.sql.secretToken\":\"*********(redacted)\""));
      assertTrue(tables.contains("password=*********(redacted)"), "JDBC URL in failures");
      assertTrue(tables.contains("FAILED"));
      assertTrue(logs.toString().contains("Foresight capture stopped"), "the log capture worked");
    } finally {
      reader.stop();
    }
  }
}
