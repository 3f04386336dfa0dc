package io.foresight.cli;

import io.foresight.history.HistoryLocation;
import io.foresight.history.HistoryTable;
import io.foresight.history.HistoryViews;
import io.foresight.history.internal.LocalFileLogStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local SparkSession the CLI uses to read the history: local[2], Delta on, UI off. */
public final class LocalHistorySession {
  private static final Logger LOG = LoggerFactory.getLogger(LocalHistorySession.class);

  private LocalHistorySession() {}

  /**
   * Why a command that learns from the runs in {@code historyPath} cannot start there, or null: a
   * local folder without an {@code apps} table (a mistyped {@code --history}, or nothing captured
   * yet). Checked before Spark starts, which would take seconds and then create empty tables at the
   * mistyped path. Other file systems are not checked here.
   */
  private static String missingHistory(String historyPath) {
    HistoryLocation location = HistoryLocation.of(historyPath);
    Path folder = location.localFolder();
    if (folder == null) {
      return null;
    }
    Path apps = folder.resolve(HistoryTable.APPS.tableName());
    if (Files.isDirectory(apps.resolve("_delta_log"))) {
      return null;
    }
    return "there is no Foresight history at "
        + apps.getParent()
        + " (no apps table in it); --history expects the folder that capture"
        + " (spark.foresight.history.path) or `foresight import` wrote";
  }

  /**
   * True, with the reason printed as {@code foresight <command>: ...}, when {@code command} would
   * read a history that is not there ({@link #missingHistory}): every command that starts a session
   * on the history checks this first, so that a mistyped {@code --history} is an error rather than
   * empty results and a new empty history at the mistyped path.
   */
  static boolean refuseMissing(String command, String historyPath, PrintStream err) {
    String missing = missingHistory(historyPath);
    if (missing != null) {
      err.println("foresight " + command + ": " + missing);
    }
    return missing != null;
  }

  /**
   * Starts the session and registers the history's views. Its warehouse (where the {@code
   * foresight} database's empty folder goes, so that none appears in the working directory) is a
   * temporary folder, deleted when the application ends.
   */
  public static SparkSession start(String appName, String historyPath) throws IOException {
    Path scratch = Files.createTempDirectory("foresight-cli");
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName(appName)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.shuffle.partitions", "4")
            // Delta rebuilds each table's snapshot from its log in 50 tasks by default, seconds
            // per table on two cores even for a log of a few files: `bin/foresight sql` counting
            // the stages view of a two-run history took 25-30 s with 50, 21-25 s with 4.
            .config("spark.databricks.delta.snapshotPartitions", "4")
            // The stages view has ~70 columns; Spark warns once when a plan's text cuts at 25.
            .config("spark.sql.debug.maxToStringFields", "200")
            // OPTIMIZE commits race with live capture; publish them as atomically as Kernel's.
            .config(LocalFileLogStore.SPARK_CONF_KEY, LocalFileLogStore.class.getName())
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    // Spark posts the application's end, and drains its listeners, in stop() and in the shutdown
    // hook it runs when the JVM exits without one.
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onApplicationEnd(SparkListenerApplicationEnd end) {
                deleteTree(scratch);
              }
            });
    HistoryViews.register(spark, historyPath);
    return spark;
  }

  /**
   * Deletes {@code dir} and everything in it; a folder already gone is not an error, and one that
   * cannot be deleted is a warning: a command's result does not depend on it.
   */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("Foresight: could not delete the CLI's scratch folder {}: {}", dir, e.toString());
    }
  }
}
