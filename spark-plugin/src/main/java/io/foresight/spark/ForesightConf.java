package io.foresight.spark;

import io.foresight.config.ConfigEntry;
import io.foresight.config.ConfigRegistry;
import io.foresight.config.ValueType;
import java.nio.file.Path;
import java.util.Map;

/**
 * The capture keys. Each is declared once here with its default, check and doc; {@link #parse(Map)}
 * is the only place they are read. Precedence: a key set in the Spark conf wins over the default;
 * there is no other source.
 */
public final class ForesightConf {
  private ForesightConf() {}

  public static final ConfigEntry<Boolean> ENABLED =
      ConfigEntry.builder("spark.foresight.enabled")
          .doc("Turns Foresight off entirely when false: no capture, no conf changes.")
          .typed(ValueType.BOOLEAN, "true");

  public static final ConfigEntry<String> HISTORY_PATH =
      ConfigEntry.builder("spark.foresight.history.path")
          .doc(
              "Root of the Delta history tables (apps, jobs, stages, executors): a local folder"
                  + " or a Hadoop URI. The default is the embedded local history in the user's"
                  + " home.")
          .typed(ValueType.STRING, "~/.foresight/history");

  public static final ConfigEntry<String> SPOOL_DIR =
      ConfigEntry.builder("spark.foresight.spool.dir")
          .doc(
              "Local folder of the durable spool: rows are written here first and committed"
                  + " from here; a later start commits what a killed driver left.")
          .typed(ValueType.STRING, "~/.foresight/spool");

  public static final ConfigEntry<Long> FLUSH_INTERVAL =
      ConfigEntry.builder("spark.foresight.history.flushInterval")
          .doc(
              "Longest time spooled rows wait before they are committed to the history (they"
                  + " are durable in the spool meanwhile).")
          .typed(ValueType.durationMs(100, 86_400_000L), "5m");

  public static final ConfigEntry<Boolean> FLUSH_ON_JOB_END =
      ConfigEntry.builder("spark.foresight.history.flushOnJobEnd")
          .doc("Commit when a job ends (no more often than commitMinGap).")
          .typed(ValueType.BOOLEAN, "true");

  public static final ConfigEntry<Long> COMMIT_MIN_GAP =
      ConfigEntry.builder("spark.foresight.history.commitMinGap")
          .doc(
              "Shortest time between two commits triggered by job ends, and from the"
                  + " application's start to the first. Rows are durable in the spool meanwhile."
                  + " An application shorter than this commits once, when it ends, so that the"
                  + " Delta writer never runs beside its tasks.")
          .typed(ValueType.durationMs(0, 3_600_000L), "2m");

  public static final ConfigEntry<Integer> COMMIT_RETRIES =
      ConfigEntry.builder("spark.foresight.history.commitRetries")
          .doc("Retries of a Delta commit that conflicts with a concurrent writer.")
          .typed(ValueType.integer(0, 1000), "20");

  public static final ConfigEntry<Integer> QUEUE_CAPACITY =
      ConfigEntry.builder("spark.foresight.capture.queueCapacity")
          .doc(
              "Events held between Spark's listener thread and Foresight's writer thread. When"
                  + " full, events are dropped and counted, never waited for.")
          .typed(ValueType.integer(1_000, 10_000_000), "200000");

  public static final ConfigEntry<Long> METRICS_POLLING =
      ConfigEntry.builder("spark.foresight.capture.executorMetricsPollingInterval")
          .doc(
              "Sets spark.executor.metrics.pollingInterval, unless the user set it, so that"
                  + " per-stage executor memory peaks are measured; 0 leaves Spark's default.")
          .typed(ValueType.durationMs(0, 3_600_000L), "500ms");

  public static final ConfigEntry<Boolean> HEAP_AFTER_GC =
      ConfigEntry.builder("spark.foresight.capture.heapAfterGc")
          .doc(
              "Whether the plugin's executor side records, per stage, the most heap a garbage"
                  + " collection left (executor_peak_heap_after_gc_bytes). It listens to the JVM's"
                  + " collection notifications and sends one small message with a task's end when"
                  + " the value rose.")
          .typed(ValueType.BOOLEAN, "true");

  public static final ConfigEntry<Boolean> PROCESS_TREE_METRICS =
      ConfigEntry.builder("spark.foresight.capture.processTreeMetrics")
          .doc(
              "Sets spark.executor.processTreeMetrics.enabled, unless the user set it, so that"
                  + " executor RSS peaks are measured (Linux only). Off by default: Spark walks"
                  + " the process tree with pgrep at every poll, which cost about 2% of a TPC-H"
                  + " run on 2 cores.")
          .typed(ValueType.BOOLEAN, "false");

  public static final ConfigEntry<Long> SHUTDOWN_TIMEOUT =
      ConfigEntry.builder("spark.foresight.shutdownTimeout")
          .doc(
              "Longest time the application's stop waits for the last commit; rows not"
                  + " committed by then stay in the spool for the next start.")
          .typed(ValueType.durationMs(0, 600_000L), "30s");

  public static final ConfigEntry<String> JOB_ID =
      ConfigEntry.builder("spark.foresight.job.id")
          .doc(
              "Stable identifier of a recurring job. Unset: derived from the app name and main"
                  + " class with dates and ids removed (docs/HISTORY-SCHEMA.md#job-key); shell and"
                  + " notebook sessions under their default names (spark-shell, pyspark, sparkR,"
                  + " spark-sql, Databricks Shell) and applications named only by ids are then"
                  + " captured but not planned.")
          .typed(ValueType.STRING, null);

  public static final ConfigEntry<String> JOB_SCHEDULED_TIME =
      ConfigEntry.builder("spark.foresight.job.scheduledTime")
          .doc(
              "Nominal time of this run of a recurring job, as a scheduler's logical date: "
                  + io.foresight.forecast.HistoryReader.SCHEDULED_TIME_FORMS
                  + ". Recorded in foresight.apps.conf; forecasts use it for calendar features and"
                  + " seasonality instead of the actual start time. Unset: the start time.")
          .typed(ValueType.STRING, null);

  public static final ConfigEntry<String> INPUT_PATHS =
      ConfigEntry.builder("spark.foresight.input.paths")
          .doc(
              "The run's input: comma-separated Hadoop paths or globs. The plugin lists them at"
                  + " start-up (files and folders whose names start with _ or . left out; a"
                  + " Delta or Iceberg table, or a partition folder of one, counts its"
                  + " current version's files, from its metadata), plans for the volume found,"
                  + " and records it as spark.foresight.input.bytes. With"
                  + " spark.foresight.planner.mode=off the listing runs beside the application"
                  + " and is only recorded. Unset: the job's seasonal volume forecast.")
          .typed(ValueType.STRING, null);

  public static final ConfigEntry<Long> INPUT_BYTES =
      ConfigEntry.builder(io.foresight.forecast.HistoryReader.INPUT_BYTES_KEY)
          .doc(
              "The size of the run's input paths, when a scheduler knows it (else the plugin sets"
                  + " it from spark.foresight.input.paths). Recorded in foresight.apps.conf;"
                  + " training learns what the job reads per listed byte.")
          .typed(ValueType.bytes(0, Long.MAX_VALUE), null);

  public static final ConfigEntry<Long> INPUT_LIST_TIMEOUT =
      ConfigEntry.builder("spark.foresight.input.listTimeout")
          .doc(
              "Longest time the start-up listing of spark.foresight.input.paths may take; a"
                  + " later listing is abandoned with a warning and the volume is forecast.")
          .typed(ValueType.durationMs(0, 600_000L), "5s");

  public static final ConfigEntry<Long> PLANNING_TIMEOUT =
      ConfigEntry.builder("spark.foresight.planner.timeout")
          .doc(
              "Longest time start-up planning may hold the driver's start while it reads the"
                  + " job's model from the history and forecasts the run (a history on an"
                  + " unreachable file system can take minutes to fail). A later plan is abandoned"
                  + " with a warning and the plannerErrors metric, and the application runs as"
                  + " configured. The input listing has its own limit, input.listTimeout.")
          .typed(ValueType.durationMs(0, 600_000L), "10s");

  /** The parsed capture settings. */
  public record Settings(
      boolean enabled,
      String historyPath,
      Path spoolDir,
      long flushIntervalMs,
      boolean flushOnJobEnd,
      long commitMinGapMs,
      int commitRetries,
      int queueCapacity,
      long metricsPollingMs,
      boolean processTreeMetrics,
      long shutdownTimeoutMs) {}

  /**
   * Reads and checks every key. Throws {@link io.foresight.config.ConfigException} naming key,
   * value and expected form for the first bad value or unknown {@code spark.foresight.*} key.
   */
  public static Settings parse(Map<String, String> conf) {
    io.foresight.plan.PlannerConf.load();
    ConfigRegistry.checkKnown(conf);
    JOB_ID.readFrom(conf); // checked (non-empty) even though capture reads it from the events
    INPUT_PATHS.readFrom(conf); // these four are read by the planner; checked here
    INPUT_BYTES.readFrom(conf);
    INPUT_LIST_TIMEOUT.readFrom(conf);
    PLANNING_TIMEOUT.readFrom(conf);
    JOB_SCHEDULED_TIME
        .readFrom(conf)
        .ifPresent(
            v -> {
              if (io.foresight.forecast.HistoryReader.scheduledTime(v, Long.MIN_VALUE)
                  == Long.MIN_VALUE) {
                throw new io.foresight.config.ConfigException(
                    "Invalid value '"
                        + v
                        + "' for "
                        + JOB_SCHEDULED_TIME.key()
                        + ": expected "
                        + io.foresight.forecast.HistoryReader.SCHEDULED_TIME_FORMS);
              }
            });
    return new Settings(
        ENABLED.readFrom(conf).orElseThrow(),
        HISTORY_PATH.readFrom(conf).orElseThrow(),
        Path.of(expandHome(SPOOL_DIR.readFrom(conf).orElseThrow())),
        FLUSH_INTERVAL.readFrom(conf).orElseThrow(),
        FLUSH_ON_JOB_END.readFrom(conf).orElseThrow(),
        COMMIT_MIN_GAP.readFrom(conf).orElseThrow(),
        COMMIT_RETRIES.readFrom(conf).orElseThrow(),
        QUEUE_CAPACITY.readFrom(conf).orElseThrow(),
        METRICS_POLLING.readFrom(conf).orElseThrow(),
        PROCESS_TREE_METRICS.readFrom(conf).orElseThrow(),
        SHUTDOWN_TIMEOUT.readFrom(conf).orElseThrow());
  }

  /** A Spark configuration as the map {@link #parse} and the entries read. */
  static Map<String, String> asMap(org.apache.spark.SparkConf conf) {
    Map<String, String> map = new java.util.HashMap<>();
    for (scala.Tuple2<String, String> kv : conf.getAll()) {
      map.put(kv._1(), kv._2());
    }
    return map;
  }

  /** {@code ~/x} becomes {@code <user.home>/x}. */
  public static String expandHome(String path) {
    return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
  }

  /** Loads every class that declares entries, so the registry is complete. */
  public static void loadAll() {
    ENABLED.key();
    io.foresight.plan.PlannerConf.load();
  }
}
