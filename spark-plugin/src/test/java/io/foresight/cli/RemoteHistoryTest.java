package io.foresight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.forecast.ModelStore;
import io.foresight.spark.ForesightPlugin;
import io.foresight.testing.LocalUnderScheme;
import io.foresight.testing.LocalUnderSchemeFs;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on a history that is not on the local file system, as on HDFS or S3: the plugin
 * captures runs there, {@code train} learns from them and keeps its model there, and the plugin
 * plans the next run from that model, records its forecast and folds the run into the statistics,
 * all through Hadoop's file system APIs. The file system is the local disk under another scheme
 * ({@link LocalUnderScheme}). The plugin reaches it as {@code hdfsish}, given only as the
 * application's {@code spark.hadoop.*} settings, so that nothing else in the JVM knows that scheme:
 * the plugin must use the application's Hadoop configuration. The CLI reaches the same folder as
 * {@code clifs}, from a resource on the classpath, as a {@code core-site.xml} would give it.
 */
class RemoteHistoryTest {
  static final String JOB = "remote-history-test";
  @TempDir Path root;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String capture(String history, int i) {
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.plugins", ForesightPlugin.class.getName());
    conf.put("spark.foresight.history.path", history);
    conf.put("spark.foresight.spool.dir", root.resolve("spool").toString());
    conf.put("spark.foresight.job.id", JOB);
    conf.put(
        "spark.foresight.job.scheduledTime",
        Instant.parse("2026-11-02T00:00:00Z").plusSeconds(3600L * i).toString());
    LocalUnderScheme.register(new Configuration(false), "hdfsish")
        .forEach(e -> conf.put("spark.hadoop." + e.getKey(), e.getValue()));
    return ForecastCommandsTest.aggregate(
        "local[2]", root.resolve("spark"), conf, 200_000L * (1 + i % 3));
  }

  @Test
  void captureTrainPlanAndFeedbackOnAHadoopFileSystem() throws Exception {
    Path disk = root.resolve("history");
    String history = "hdfsish://" + disk;
    for (int i = 0; i < 5; i++) {
      capture(history, i);
    }
    assertTrue(Files.isDirectory(disk.resolve("apps").resolve("_delta_log")), "captured there");

    // the CLI reaches the same folder through its classpath's Hadoop configuration
    Configuration.addDefaultResource("clifs-site.xml");
    assertEquals(
        LocalUnderSchemeFs.class.getName(),
        new Configuration().get("fs.AbstractFileSystem.clifs.impl"));
    assertEquals(null, new Configuration().get("fs.hdfsish.impl"), "the plugin's scheme only");
    String cliHistory = "clifs://" + disk;
    assertEquals(
        0,
        CliCapture.run(new String[] {"train", "--history", cliHistory}, out, err),
        err.toString());
    assertTrue(out.toString().contains("on 5 applications (1 jobs"), out.toString());
    String version = Files.readString(disk.resolve("models").resolve("LATEST")).trim();

    // the next run is planned from that model, and folded into its statistics when it ends
    String sixth = capture(history, 5);
    String stats =
        Files.readString(
            disk.resolve("models").resolve("online-stats").resolve(ModelStore.jobFileName(JOB)));
    assertTrue(stats.contains(sixth), stats);
    assertTrue(stats.contains("\"modelVersion\":\"" + version + "\""), stats);
    assertEquals(
        0,
        CliCapture.run(
            new String[] {
              "sql",
              "SELECT count(*) AS n, max(model_version) AS v FROM foresight.predictions"
                  + " WHERE source = 'plugin' AND run_id = '"
                  + sixth
                  + "'",
              "--history",
              cliHistory,
              "--json"
            },
            out,
            err),
        err.toString());
    var row = new ObjectMapper().readTree(out.toString());
    assertTrue(row.get("n").asInt() > 0, "the plugin's forecast of the run: " + out);
    assertEquals(version, row.get("v").asText());
  }
}
