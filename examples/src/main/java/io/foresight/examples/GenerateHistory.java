package io.foresight.examples;

import io.foresight.spark.ForesightConf;
import io.foresight.spark.ForesightPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/foresight generate-history}: realistic training and backtest history from real Spark
 * runs, captured by the normal plugin path. A recurring ETL job ({@link RecurringEtlJob}) runs on
 * TPC-H data ({@code io.trino.tpch}) whose scale follows a daily and weekly pattern with ±20 %
 * noise, and a few runs have an unusual volume spike. Each run is its own Spark application whose
 * scheduled time ({@code spark.foresight.job.scheduledTime}) advances by {@code --every-hours}.
 *
 * <p>All runs share one JVM. A production run is a fresh JVM every time, equally cold each run;
 * here the JVM would get faster run after run as the JIT compiles more, a trend no real history
 * has. So {@code --warm-up N} unrecorded runs come first (without the plugin), after which runs are
 * equally warm.
 *
 * <p>With {@code --cluster}, the runs go to an embedded standalone cluster (a Master and a Worker
 * JVM, {@link EmbeddedCluster}) instead of {@code local[2]}: each run gets its own executor JVM (2
 * cores, 1 GiB), as on a real cluster, so the executors' heap peaks are their own rather than the
 * shared driver JVM's. The executors are then cold each run, as in production.
 *
 * <p>{@code --cores N} sets the task slots. With as many slots as the machine has cores, the tasks
 * share the cores with the driver, the JIT compiler and the collector, and their run time includes
 * waiting for a core; a production executor has its cores to itself. So by default one core is left
 * for the rest (docs/FORECAST-QUALITY.md, one task slot per core).
 *
 * <p>Options: {@code --runs N} (36), {@code --history DIR}, {@code --work DIR} ({@code
 * ~/.foresight/generated}), {@code --base-scale S} (0.3, TPC-H scale factor at the daily mean),
 * {@code --max-scale S} (1.0, the data generated once), {@code --every-hours H} (4), {@code --seed
 * N} (7), {@code --start TIME} (2026-11-02T00:00:00Z), {@code --warm-up N} (3), {@code --cores N}
 * (the task slots: {@code local[N]}, or the executor's cores; {@link #defaultCores}), {@code
 * --cluster}.
 */
public final class GenerateHistory {
  static final String JOB_NAME = "hourly-revenue-etl";
  static final int FILES = 48;

  /** The cores of the embedded cluster's worker. */
  static final int WORKER_CORES = 2;

  /**
   * The task slots when {@code --cores} is not given: one fewer than the machine's {@code
   * processors}, so that the driver, the JIT compiler and the collector (and on the cluster the
   * Master and Worker) have a core besides the tasks, as a production executor has its cores to
   * itself; at least 1, and at most the embedded worker's cores on the cluster.
   */
  public static int defaultCores(boolean cluster, int processors) {
    int cores = Math.max(1, processors - 1);
    return cluster ? Math.min(cores, WORKER_CORES) : cores;
  }

  private GenerateHistory() {}

  /** The scale factor of run {@code i}: daily and weekly pattern, noise, rare spikes. */
  static double scale(double base, ZonedDateTime at, Random rnd, Set<Integer> spikes, int i) {
    double hour = at.getHour();
    double daily = 1 + 0.45 * Math.sin(2 * Math.PI * (hour - 6) / 24);
    DayOfWeek d = at.getDayOfWeek();
    double weekly = d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? 0.6 : 1.0;
    double noise = 1 + 0.2 * (2 * rnd.nextDouble() - 1);
    double spike = spikes.contains(i) ? 2.0 : 1;
    return base * daily * weekly * noise * spike;
  }

  static final String USAGE =
      "usage: bin/foresight generate-history [--runs N] [--history DIR] [--work DIR]"
          + " [--base-scale S] [--max-scale S] [--every-hours H] [--seed N] [--start TIME]"
          + " [--warm-up N] [--cores N] [--cluster]";

  /** The command's options, with the defaults of the class comment. */
  record Options(
      String history,
      Path work,
      int runs,
      double baseScale,
      double maxScale,
      int everyHours,
      long seed,
      Instant start,
      int warmUp,
      int cores,
      boolean cluster) {

    /** Reads {@code argv}; a bad option throws an IllegalArgumentException that names it. */
    static Options parse(String[] argv, int processors) {
      String history = ForesightConf.expandHome(ForesightConf.HISTORY_PATH.defaultText());
      Path work = Path.of(System.getProperty("user.home"), ".foresight", "generated");
      int runs = 36;
      double base = 0.3;
      double max = 1.0;
      int everyHours = 4;
      long seed = 7;
      Instant start = Instant.parse("2026-11-02T00:00:00Z");
      int warmUp = 3;
      boolean cluster = false;
      Integer cores = null; // not given: defaultCores
      CommandArgs args = new CommandArgs(argv);
      while (args.hasNext()) {
        String o = args.option();
        switch (o) {
          case "--history" -> history = args.text(o);
          case "--work" -> work = args.path(o);
          case "--runs" -> runs = args.whole(o, 1);
          case "--base-scale" -> base = args.positive(o);
          case "--max-scale" -> max = args.positive(o);
          case "--every-hours" -> everyHours = args.whole(o, 1);
          case "--seed" -> seed = args.anyLong(o);
          case "--start" -> start = args.instant(o);
          case "--warm-up" -> warmUp = args.whole(o, 0);
          case "--cluster" -> cluster = true;
          case "--cores" -> cores = args.whole(o, 1);
          default -> throw new IllegalArgumentException("unknown option " + o);
        }
      }
      if (cores == null) {
        cores = defaultCores(cluster, processors);
      }
      if (cluster && cores > WORKER_CORES) {
        throw new IllegalArgumentException(
            "--cores "
                + cores
                + " with --cluster: the embedded worker offers "
                + WORKER_CORES
                + " cores, so expected 1 to "
                + WORKER_CORES);
      }
      return new Options(
          history, work, runs, base, max, everyHours, seed, start, warmUp, cores, cluster);
    }
  }

  public static void main(String[] argv) throws Exception {
    if (CommandArgs.wantsHelp(argv)) {
      System.out.println(USAGE);
      return;
    }
    Options o;
    try {
      o = Options.parse(argv, Runtime.getRuntime().availableProcessors());
    } catch (IllegalArgumentException e) {
      System.err.println("foresight generate-history: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (!o.cluster()) {
      run(o, null);
      return;
    }
    try (EmbeddedCluster c =
        EmbeddedCluster.start(o.work().resolve("cluster"), WORKER_CORES, "2g")) {
      run(o, new Cluster(c.url(), c.executorClassPath()));
    }
  }

  private static void run(Options o, Cluster cluster) throws Exception {
    run(
        o.history(),
        o.work(),
        o.runs(),
        o.baseScale(),
        o.maxScale(),
        o.everyHours(),
        o.seed(),
        o.start(),
        o.warmUp(),
        o.cores(),
        cluster);
  }

  /**
   * A standalone cluster to run on.
   *
   * @param url its master URL
   * @param executorClassPath {@code spark.executor.extraClassPath} for its executors ("" for none)
   */
  public record Cluster(String url, String executorClassPath) {}

  /**
   * A run's session: {@code local[cores]}, or one executor of {@code cores} cores and 1 GiB on
   * {@code cluster}.
   */
  private static SparkSession.Builder session(
      String name, Path work, String history, int cores, Cluster cluster) {
    SparkSession.Builder b = Demo.session(name, work, history);
    if (cluster == null) {
      b.master("local[" + cores + "]");
    } else {
      b.master(cluster.url());
      if (!cluster.executorClassPath().isEmpty()) {
        b.config("spark.executor.extraClassPath", cluster.executorClassPath());
      }
      b.config("spark.executor.cores", Integer.toString(cores))
          .config("spark.executor.memory", "1g")
          .config("spark.cores.max", Integer.toString(cores));
    }
    return b;
  }

  /**
   * Generates {@code runs} recorded runs into {@code history}, after {@code warmUp} unrecorded
   * ones, with {@code cores} task slots: on {@code cluster}, or in {@code local[cores]} when it is
   * null.
   */
  public static void run(
      String history,
      Path work,
      int runs,
      double base,
      double max,
      int everyHours,
      long seed,
      Instant start,
      int warmUp,
      int cores,
      Cluster cluster)
      throws Exception {
    Files.createDirectories(work);
    Random rnd = new Random(seed);
    Set<Integer> spikes = Set.of(runs / 3, (2 * runs) / 3 + 1);
    System.out.printf(
        "Generating %d runs of %s into %s (TPC-H base scale %.3f, every %d h, %s, %s)%n",
        runs,
        JOB_NAME,
        history,
        base,
        everyHours,
        cluster == null ? "local[" + cores + "]" : "standalone cluster " + cluster.url(),
        cores == 1 ? "1 core" : cores + " cores");
    double[] scales = new double[runs];
    ZonedDateTime[] times = new ZonedDateTime[runs];
    for (int i = 0; i < runs; i++) {
      times[i] = start.plusSeconds(3600L * everyHours * i).atZone(ZoneOffset.UTC);
      scales[i] = Math.min(max, scale(base, times[i], rnd, spikes, i));
    }
    Path input = work.resolve("input").resolve(String.format("sf-%.4g-x%d", max, FILES));
    if (!Files.exists(input.resolve("parquet/lineitem/_SUCCESS"))) {
      System.out.printf("Generating TPC-H at scale %.3g (once)...%n", max);
      SparkSession prep = Demo.session("foresight-generate-prepare", work, null).getOrCreate();
      prep.sparkContext().setLogLevel("WARN");
      RecurringEtlJob.preparePartitioned(prep, input, max, FILES);
      prep.stop();
    }
    for (int w = 0; w < warmUp; w++) {
      // Not captured: the session has no plugin.
      SparkSession spark = session(JOB_NAME + " warm-up", work, null, cores, cluster).getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      long t0 = System.nanoTime();
      RecurringEtlJob.run(spark, input, work.resolve("output").resolve("warm-up"), base / max);
      spark.stop();
      System.out.printf(
          "  warm-up %d (not recorded)  %6d ms%n", w + 1, (System.nanoTime() - t0) / 1_000_000);
    }
    for (int i = 0; i < runs; i++) {
      String when = times[i].toInstant().toString();
      SparkSession spark =
          session(JOB_NAME + " " + when, work, history, cores, cluster)
              .config("spark.plugins", ForesightPlugin.class.getName())
              .config("spark.foresight.job.id", JOB_NAME)
              .config("spark.foresight.job.scheduledTime", when)
              // Stages here take a few hundred ms; a 100 ms poll gives most of them a heap peak.
              .config("spark.foresight.capture.executorMetricsPollingInterval", "100ms")
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      long t0 = System.nanoTime();
      RecurringEtlJob.run(
          spark, input, work.resolve("output").resolve("run-" + i), scales[i] / max);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      spark.stop();
      System.out.printf(
          "  run %2d  %s  scale %.4f%s  %6d ms%n",
          i + 1, when, scales[i], spikes.contains(i) ? " (spike)" : "", ms);
    }
    System.out.println("Done. Next: bin/foresight train, then bin/foresight backtest.");
  }
}
