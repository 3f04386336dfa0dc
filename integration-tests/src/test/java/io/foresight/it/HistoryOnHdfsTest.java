package io.foresight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.forecast.ModelStore;
import io.foresight.history.HistoryStore;
import io.foresight.history.SpoolWriter;
import io.foresight.spark.ForesightPlugin;
import io.foresight.testing.HistoryRecords;
import io.foresight.testing.LocalSpark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history and the job's input on a real HDFS: a NameNode and a DataNode started in this JVM
 * ({@code MiniDFSCluster}, Hadoop 3.4.2 as Spark 4.1 ships), reached over RPC with Spark's own HDFS
 * client. The plugin captures runs there and lists a Delta table there as each run's input; {@code
 * train} learns from the history and keeps its model there; the next run is forecast from that
 * model, its forecast recorded and the run folded into the statistics; and writers committing to
 * one table at the same time lose nothing (Delta Kernel's commits rely on HDFS's rename without
 * overwrite failing when another writer got there first).
 *
 * <p>As on a cluster with NameNode high availability, the applications name HDFS by a logical
 * nameservice, {@code appns}, given only in their {@code spark.hadoop.*} settings, so nothing else
 * in the JVM knows it: the plugin must reach the history with the application's Hadoop
 * configuration. The CLI names it {@code clins}, from an {@code hdfs-site}-like resource on its
 * classpath ({@code foresight-clins-site.xml}).
 */
class HistoryOnHdfsTest {
  static final String JOB = "hdfs-history-test";

  /** Runs captured before training; the plugin then forecasts one more from the model. */
  static final int RUNS = 2;

  @TempDir static Path root;
  static MiniDFSCluster dfs;
  static String hdfs;

  @BeforeAll
  static void startHdfs() throws IOException {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    System.setProperty("foresight.test.namenodePort", Integer.toString(port));
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, root.resolve("dfs").toString());
    dfs = new MiniDFSCluster.Builder(conf).nameNodePort(port).numDataNodes(1).build();
    dfs.waitActive();
    hdfs = dfs.getURI().toString();
  }

  /** The nameservice {@code appns}, as an application's {@code spark.hadoop.*} settings. */
  private static Map<String, String> appNameservice() {
    String port = System.getProperty("foresight.test.namenodePort");
    return Map.of(
        "spark.hadoop.dfs.nameservices", "appns",
        "spark.hadoop.dfs.ha.namenodes.appns", "nn1",
        "spark.hadoop.dfs.namenode.rpc-address.appns.nn1", "localhost:" + port,
        "spark.hadoop.dfs.client.failover.proxy.provider.appns",
            "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider");
  }

  @AfterAll
  static void stopHdfs() {
    if (dfs != null) {
      // not shutdown(): it also clears every Hadoop shutdown hook of the JVM, among them Spark's,
      // which deletes Spark's temporary folders when the JVM exits
      dfs.shutdownDataNodes();
      dfs.shutdownNameNodes();
    }
  }

  private static boolean exists(String path) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try (FileSystem fs = FileSystem.newInstance(p.toUri(), new Configuration())) {
      return fs.exists(p);
    }
  }

  private static String readHdfs(String path) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try (FileSystem fs = FileSystem.newInstance(p.toUri(), new Configuration());
        InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One run of the job: a Spark application reading the Delta table at {@code input}. */
  private static String run(String history, String input, int i) {
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.plugins", ForesightPlugin.class.getName());
    conf.put("spark.foresight.history.path", history);
    conf.put("spark.foresight.spool.dir", root.resolve("spool").toString());
    conf.put("spark.foresight.job.id", JOB);
    conf.put("spark.foresight.input.paths", input);
    conf.put(
        "spark.foresight.job.scheduledTime",
        Instant.parse("2026-11-02T00:00:00Z").plusSeconds(3600L * i).toString());
    conf.putAll(appNameservice());
    SparkSession.Builder b = LocalSpark.builder("local[2]", root.resolve("spark"));
    conf.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    try {
      spark
          .read()
          .format("delta")
          .load(input)
          .where("v % " + (2 + i % 3) + " = 0")
          .groupBy("k")
          .sum("v")
          .collectAsList();
      return spark.sparkContext().applicationId();
    } finally {
      spark.stop();
    }
  }

  @Test
  void captureListTrainForecastAndFeedbackOnHdfs() throws Exception {
    String input = "hdfs://appns/lake/events";
    String history = "hdfs://appns/foresight/history";
    long tableBytes;
    SparkSession.Builder b = LocalSpark.builder("local[2]", root.resolve("spark"));
    appNameservice().forEach(b::config);
    SparkSession writer = b.getOrCreate();
    try {
      writer
          .range(0, 200_000, 1, 4)
          .selectExpr("id % 97 AS k", "id * 2 AS v")
          .write()
          .format("delta")
          .save(input);
      tableBytes = writer.sql("DESCRIBE DETAIL delta.`" + input + "`").first().getAs("sizeInBytes");
    } finally {
      writer.stop();
    }

    List<String> apps = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      apps.add(run(history, input, i));
    }
    assertTrue(
        exists(hdfs + "/foresight/history/apps/_delta_log"), "captured there, through appns");
    assertEquals(
        null,
        new Configuration().get("dfs.namenode.rpc-address.appns.nn1"),
        "appns is the applications' only");

    // the CLI reaches the same history through its classpath's Hadoop configuration
    Configuration.addDefaultResource("foresight-clins-site.xml");
    String cliHistory = "hdfs://clins/foresight/history";
    CliCall train = CliCall.run("train", "--history", cliHistory);
    assertEquals(0, train.rc(), train.err());
    assertTrue(train.out().contains("on " + RUNS + " applications (1 jobs"), train.out());
    String version = readHdfs(hdfs + "/foresight/history/models/LATEST").trim();

    // the next run is forecast from that model, and folded into its statistics when it ends
    String next = run(history, input, RUNS);
    String stats =
        readHdfs(hdfs + "/foresight/history/models/online-stats/" + ModelStore.jobFileName(JOB));
    assertTrue(stats.contains(next), "the run is folded in: " + stats);
    assertTrue(stats.contains("\"modelVersion\":\"" + version + "\""), stats);
    CliCall predictions =
        CliCall.run(
            "sql",
            "SELECT count(*) AS n, max(model_version) AS v FROM foresight.predictions"
                + " WHERE source = 'plugin' AND run_id = '"
                + next
                + "'",
            "--history",
            cliHistory,
            "--json");
    assertEquals(0, predictions.rc(), predictions.err());
    JsonNode forecast = new ObjectMapper().readTree(predictions.out());
    assertTrue(
        forecast.get("n").asInt() > 0, "the plugin's forecast of the run: " + predictions.out());
    assertEquals(version, forecast.get("v").asText());

    // every run is in the history, with its input listed on HDFS at the table's size
    CliCall appRows =
        CliCall.run(
            "sql",
            "SELECT app_id, conf['spark.foresight.input.bytes'] AS listed FROM foresight.apps"
                + " ORDER BY app_id",
            "--history",
            cliHistory,
            "--json");
    assertEquals(0, appRows.rc(), appRows.err());
    List<String> captured = new ArrayList<>();
    for (String line : appRows.out().strip().split("\n")) {
      JsonNode row = new ObjectMapper().readTree(line);
      captured.add(row.get("app_id").asText());
      assertEquals(Long.toString(tableBytes), row.get("listed").asText(), line);
    }
    apps.add(next);
    assertEquals(apps.stream().sorted().toList(), captured);
  }

  @Test
  void writersCommittingToOneTableAtOnceLoseNothing() throws Exception {
    String history = hdfs + "/concurrent/history";
    int writers = 4;
    int commits = 3;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String app = "app-" + w;
        Path spool = root.resolve("concurrent-spool-" + w);
        done.add(
            pool.submit(
                () -> {
                  HistoryStore store = HistoryStore.open(history, spool, new Configuration(), 50);
                  try (SpoolWriter s = store.newSpool()) {
                    for (int j = 0; j < commits; j++) {
                      s.append(HistoryRecords.job(app, j));
                      s.seal();
                      store.commitSealed(s);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    CliCall jobRows =
        CliCall.run(
            "sql",
            "SELECT count(*) AS n, count(DISTINCT app_id, job_id) AS distinct_jobs"
                + " FROM foresight.jobs",
            "--history",
            history,
            "--json");
    assertEquals(0, jobRows.rc(), jobRows.err());
    JsonNode row = new ObjectMapper().readTree(jobRows.out());
    assertEquals(writers * commits, row.get("n").asInt(), jobRows.out());
    assertEquals(writers * commits, row.get("distinct_jobs").asInt(), jobRows.out());
  }

  @Test
  void eventLogsImportFromWhereSparkWroteThemOnHdfs() throws Exception {
    // as spark.eventLog.dir=hdfs://…/spark-logs leaves them: a rolling log and a single file
    Path corpus = LocalSpark.sharedDir().resolve("corpus/eventlogs/nvidia-spark-rapids-tools");
    org.apache.hadoop.fs.Path logs = new org.apache.hadoop.fs.Path(hdfs + "/spark-logs");
    try (FileSystem fs = FileSystem.newInstance(logs.toUri(), new Configuration())) {
      for (String log : List.of("eventlog_v2_local-1623876083964", "spark2-eventlog.zstd")) {
        fs.copyFromLocalFile(
            new org.apache.hadoop.fs.Path(corpus.resolve(log).toUri()),
            new org.apache.hadoop.fs.Path(logs, log));
      }
    }
    String history = root.resolve("imported-history").toString();
    CliCall imported =
        CliCall.run(
            "import", logs.toString(), "--history", history, "--spool", root + "/import-spool");
    assertEquals(0, imported.rc(), imported.err());
    assertTrue(imported.out().contains("2 of 2 logs imported"), imported.out());
    assertTrue(imported.out().contains(logs + "/eventlog_v2_local-1623876083964"), imported.out());
  }
}
