package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does: spark-submit with nothing but Spark on the classpath, the bundle on --jars and
 * the plugin in spark.plugins; then bin/foresight sql reads the rows from the default history.
 */
class BundleSubmitTest {
  @TempDir Path home;

  private static Path project() {
    return Path.of(System.getProperty("foresight.project.dir", "..")).toAbsolutePath();
  }

  private static Path single(Path dir, String glob) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> found =
          s.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
              .toList();
      assertEquals(1, found.size(), glob + " in " + dir + ": " + found);
      return found.get(0);
    }
  }

  /** Spark and its dependencies only: no Foresight module, no Delta, no Kernel. */
  private static String sparkOnlyClasspath() throws Exception {
    List<String> cp = new ArrayList<>();
    for (String e : ChildJvm.testClasspath()) {
      String n = e.replace('\\', '/');
      boolean foresight = n.contains("/io/foresight/") || n.contains("/target/");
      boolean delta = n.contains("/io/delta/");
      boolean test = n.contains("junit") || n.contains("opentest4j") || n.contains("apiguardian");
      boolean tpch = n.contains("/io/trino/");
      if (!foresight && !delta && !test && !tpch) {
        cp.add(e);
      }
    }
    return String.join(File.pathSeparator, cp);
  }

  @Test
  void sparkSubmitWithTheBundleCapturesIntoTheDefaultHistory() throws Exception {
    Path bundle =
        single(project().resolve("spark-plugin/target"), "foresight-spark-plugin-*-bundle.jar");
    Path app = single(project().resolve("examples/target"), "foresight-examples-*[0-9T].jar");
    String cp = sparkOnlyClasspath();
    assertTrue(!cp.contains("foresight") && !cp.contains("delta"), cp);
    // The job's input, a Delta table of one 4321-byte file, beside a file an older version
    // removed: the bundle's (relocated) Kernel reads the log, so the plan is for 4321 bytes.
    Path input = Files.createDirectories(home.resolve("input-table/_delta_log")).getParent();
    Files.writeString(
        input.resolve("_delta_log/00000000000000000000.json"),
        String.join(
            "\n",
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}",
            "{\"metaData\":{\"id\":\"00000000-0000-0000-0000-000000000001\",\"format\":"
                + "{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":"
                + "\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\","
                + "\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
                + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1}}",
            "{\"add\":{\"path\":\"part-0.parquet\",\"partitionValues\":{},\"size\":4321,"
                + "\"modificationTime\":1,\"dataChange\":true}}",
            ""));
    Files.write(input.resolve("part-0.parquet"), new byte[4321]);
    Files.write(input.resolve("removed-by-an-older-version.parquet"), new byte[9999]);

    try (ChildJvm submit =
        ChildJvm.start(
            cp,
            List.of("-Duser.home=" + home),
            "org.apache.spark.deploy.SparkSubmit",
            List.of(
                "--master",
                "local[2]",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--jars",
                bundle.toString(),
                "--conf",
                "spark.plugins=io.foresight.spark.ForesightPlugin",
                "--conf",
                "spark.foresight.input.paths=" + input,
                "--class",
                "io.foresight.examples.SampleSqlJob",
                app.toString()))) {
      assertEquals(0, submit.waitFor(180_000), submit.output());
      assertTrue(submit.output().contains("SAMPLE-RESULT 17"), submit.output());
      assertTrue(submit.output().contains("Foresight capture on"), submit.output());
      assertTrue(
          submit
              .output()
              .contains(
                  "Foresight listed the input: 4321 bytes in 1 files under "
                      + input
                      + " (1 Delta table(s) sized from their logs"),
          submit.output());
      assertTrue(!submit.output().contains("Foresight could not"), submit.output());
      // Spark's default log shows INFO; the bundle's Kernel says nothing below WARN there
      assertTrue(!submit.output().contains("INFO SnapshotManager:"), submit.output());
      assertTrue(!submit.output().contains("INFO TransactionImpl:"), submit.output());
      // creating the new history's tables is not worth a warning
      assertTrue(!submit.output().contains("complete checkpoint"), submit.output());
    }
    Path history = home.resolve(".foresight/history");
    assertTrue(Files.isDirectory(history.resolve("stages/_delta_log")), "default history used");

    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            project().resolve("bin/foresight").toString(),
            "sql",
            "SELECT a.name, a.status, count(s.stage_id) AS stages, sum(s.num_tasks) AS tasks"
                + " FROM foresight.apps a JOIN foresight.stages s ON a.app_id = s.app_id"
                + " GROUP BY a.name, a.status",
            "--history",
            history.toString(),
            "--json");
    pb.redirectError(home.resolve("cli.err").toFile());
    Process cli = pb.start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(cli.waitFor(180, TimeUnit.SECONDS));
    assertEquals(0, cli.exitValue(), out + Files.readString(home.resolve("cli.err")));
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    assertEquals(1, lines.size(), out);
    JsonNode row = new ObjectMapper().readTree(lines.get(0));
    assertEquals("sample-sql-job", row.get("name").asText());
    assertEquals("SUCCEEDED", row.get("status").asText());
    assertTrue(row.get("stages").asInt() >= 2, out);
    assertTrue(row.get("tasks").asInt() >= 5, out);
  }
}
