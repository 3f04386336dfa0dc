package io.foresight.examples.bench;

import io.foresight.examples.TpchTables;
import io.foresight.spark.ForesightPlugin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.SparkSession;

/**
 * Capture overhead: the 22 TPC-H queries in local[2], with and without the plugin, each run in a
 * fresh JVM, in interleaved pairs (the order alternates), reported as the median of the paired
 * ratios with a bootstrap 95% interval (DESIGN-NOTES §1 explains why nothing less means anything
 * here). Also counts the events dropped over a 200,000-task run.
 *
 * <pre>
 * bin/foresight bench-overhead --scale 1 --pairs 20 --variant standard --out docs/bench-overhead.md
 * bin/foresight bench-overhead --scale 1 --pairs 20 --variant task-heavy
 * bin/foresight bench-dropped --tasks 200000
 * </pre>
 */
public final class CaptureOverheadBenchmark {
  private CaptureOverheadBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Opts o = Opts.parse(argv);
    switch (o.mode) {
      case "run-once" -> runOnce(o);
      case "dropped" -> dropped(o);
      default -> pairs(o);
    }
  }

  static final class Opts {
    String mode = "pairs";
    double scale = 1.0;
    int pairs = 20;
    String variant = "standard";
    Path data = Path.of(System.getProperty("user.home"), ".foresight", "bench");
    Path out;
    Path history;
    boolean plugin;
    long tasks = 200_000;

    static Opts parse(String[] a) {
      Opts o = new Opts();
      for (int i = 0; i < a.length; i++) {
        switch (a[i]) {
          case "--run-once" -> {
            o.mode = "run-once";
            o.plugin = a[++i].equals("on");
          }
          case "--dropped" -> o.mode = "dropped";
          case "--scale" -> o.scale = Double.parseDouble(a[++i]);
          case "--pairs" -> o.pairs = Integer.parseInt(a[++i]);
          case "--variant" -> o.variant = a[++i];
          case "--data" -> o.data = Path.of(a[++i]);
          case "--out" -> o.out = Path.of(a[++i]);
          case "--tasks" -> o.tasks = Long.parseLong(a[++i]);
          case "--history" -> o.history = Path.of(a[++i]);
          default -> throw new IllegalArgumentException("unknown option " + a[i]);
        }
      }
      return o;
    }

    Path tables() {
      return data.resolve("sf" + scale);
    }

    List<String> childArgs(boolean on) {
      return List.of(
          "--run-once",
          on ? "on" : "off",
          "--scale",
          String.valueOf(scale),
          "--variant",
          variant,
          "--data",
          data.toString());
    }
  }

  static SparkSession.Builder session(Opts o, Path scratch) {
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .appName("tpch-" + o.variant)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString());
    if (o.variant.equals("task-heavy")) {
      b.config("spark.sql.shuffle.partitions", "200")
          .config("spark.sql.files.maxPartitionBytes", String.valueOf(4 << 20))
          .config("spark.sql.adaptive.coalescePartitions.enabled", "false");
    }
    if (o.plugin) {
      // A history that persists across runs, as users have; by default one per run (worst case).
      Path history = o.history != null ? o.history : scratch.resolve("history");
      b.config("spark.plugins", ForesightPlugin.class.getName())
          .config("spark.foresight.history.path", history.toString())
          .config("spark.foresight.spool.dir", scratch.resolve("spool").toString());
    }
    return b;
  }

  /** One fresh-JVM measurement: prints {@code ELAPSED <ms of the 22 queries>}. */
  static void runOnce(Opts o) throws Exception {
    Path scratch = Files.createTempDirectory("foresight-bench");
    SparkSession spark = session(o, scratch).getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    for (String t : TpchTables.TABLES) {
      spark.read().parquet(o.tables().resolve(t).toString()).createOrReplaceTempView(t);
    }
    long cpuAtStart = o.plugin ? ForesightPlugin.lastCaptureStats().writerCpuMillis() : 0;
    long processCpu0 = processCpuMillis();
    long gc0 = gcMillis();
    long jit0 = jitMillis();
    long t0 = System.nanoTime();
    for (int q = 1; q <= 22; q++) {
      spark.sql(query(q)).collectAsList();
    }
    long queriesMs = (System.nanoTime() - t0) / 1_000_000;
    long processCpu = processCpuMillis() - processCpu0;
    long gc = gcMillis() - gc0;
    long jit = jitMillis() - jit0;
    long cpuInQueries =
        o.plugin ? ForesightPlugin.lastCaptureStats().writerCpuMillis() - cpuAtStart : 0;
    long listenerMs = listenerMillis(spark);
    long s0 = System.nanoTime();
    spark.stop();
    long stopMs = (System.nanoTime() - s0) / 1_000_000;
    long writerCpuMs = o.plugin ? ForesightPlugin.lastCaptureStats().writerCpuMillis() : 0;
    System.out.println(
        "ELAPSED "
            + queriesMs
            + " "
            + stopMs
            + " "
            + writerCpuMs
            + " "
            + listenerMs
            + " "
            + cpuInQueries
            + " "
            + processCpu
            + " "
            + gc
            + " "
            + jit);
  }

  static long processCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1_000_000L;
  }

  static long jitMillis() {
    return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  static long gcMillis() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  /** Time Spark's listener bus spent in Foresight's listener (Spark's own per-class timer). */
  static long listenerMillis(SparkSession spark) throws java.util.concurrent.TimeoutException {
    var bus = spark.sparkContext().listenerBus();
    bus.waitUntilEmpty();
    return bus.metrics().metricRegistry().getTimers().entrySet().stream()
            .filter(e -> e.getKey().contains("io.foresight.capture.CaptureListener"))
            .mapToLong(e -> (long) (e.getValue().getSnapshot().getMean() * e.getValue().getCount()))
            .sum()
        / 1_000_000L;
  }

  static String query(int q) throws IOException {
    String name = String.format(Locale.ROOT, "/tpch/q%02d.sql", q);
    try (InputStream in = CaptureOverheadBenchmark.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void prepare(Opts o) throws Exception {
    if (Files.exists(o.tables().resolve("lineitem/_SUCCESS"))) {
      return;
    }
    Path csv = o.data.resolve("csv-sf" + o.scale);
    TpchTables.generateCsv(csv, o.scale);
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    TpchTables.toParquet(spark, csv, o.tables(), TpchTables.TABLES);
    spark.stop();
  }

  static long[] child(Opts o, boolean on) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx3g");
    cmd.addAll(jvmOptions());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CaptureOverheadBenchmark.class.getName());
    cmd.addAll(o.childArgs(on));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long[] result = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ELAPSED ")) {
          String[] parts = line.split(" ");
          result = new long[parts.length - 1];
          for (int i = 1; i < parts.length; i++) {
            result[i - 1] = Long.parseLong(parts[i]);
          }
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("benchmark run failed (plugin " + on + ")");
    }
    return result;
  }

  static List<String> jvmOptions() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-XX:+Ignore"))
        .toList();
  }

  static void pairs(Opts o) throws Exception {
    prepare(o);
    double[] ratios = new double[o.pairs];
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < o.pairs; i++) {
      boolean onFirst = i % 2 == 1;
      long[] first = child(o, onFirst);
      long[] second = child(o, !onFirst);
      long[] on = onFirst ? first : second;
      long[] off = onFirst ? second : first;
      ratios[i] = (double) on[0] / off[0];
      String row =
          String.format(
              Locale.ROOT,
              "| %d | %s | %d | %d | %.4f | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n",
              i + 1,
              onFirst ? "on, off" : "off, on",
              off[0],
              on[0],
              ratios[i],
              off[1],
              on[1],
              on[2],
              on[4],
              on[3],
              off[5],
              on[5],
              off[6],
              on[6]);
      rows.append(row);
      System.out.print(row);
    }
    double median = median(ratios);
    double[] ci = bootstrap(ratios, 10_000, new Random(42));
    String report =
        String.format(
            Locale.ROOT,
            "### TPC-H 22 queries, scale %s, variant %s, %d pairs%n%n"
                + "Median ratio (plugin on / off) of the 22-query wall-clock: **%.4f**,"
                + " bootstrap 95%% CI [%.4f, %.4f].%n%n"
                + "Foresight's own work per run with the plugin on: the writer thread's CPU time"
                + " (all of it, and the part spent while the 22 queries ran) and the time"
                + " Spark's listener thread spent in Foresight's listener (Spark's per-listener"
                + " timer; a sampled mean times the event count). Process CPU and GC time are"
                + " those of the whole JVM while the 22 queries ran.%n%n"
                + "| pair | order | off ms | on ms | ratio | off stop ms | on stop ms |"
                + " writer CPU ms | of it during queries | listener ms | off process CPU ms |"
                + " on process CPU ms | off GC ms | on GC ms |%n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n%s",
            o.scale,
            o.variant,
            o.pairs,
            median,
            ci[0],
            ci[1],
            rows);
    System.out.println(report);
    if (o.out != null) {
      Files.writeString(o.out, report);
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double[] bootstrap(double[] v, int rounds, Random rnd) {
    double[] medians = new double[rounds];
    double[] sample = new double[v.length];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < v.length; i++) {
        sample[i] = v[rnd.nextInt(v.length)];
      }
      medians[r] = median(sample);
    }
    Arrays.sort(medians);
    return new double[] {medians[(int) (rounds * 0.025)], medians[(int) (rounds * 0.975) - 1]};
  }

  /** Runs jobs totalling {@code --tasks} tasks with the plugin and reports what was dropped. */
  static void dropped(Opts o) throws Exception {
    o.plugin = true;
    Path scratch = Files.createTempDirectory("foresight-bench-dropped");
    SparkSession spark = session(o, scratch).getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    int perStage = 20_000;
    long stages = o.tasks / perStage;
    long t0 = System.nanoTime();
    for (int s = 0; s < stages; s++) {
      spark.range(0, 1, 1, 1).rdd().count(); // a cheap one-task job between the big stages
      spark.range(0, perStage, 1, perStage).rdd().count();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    var bus = spark.sparkContext().listenerBus();
    bus.waitUntilEmpty();
    long sparkDropped =
        bus.metrics().metricRegistry().getCounters().entrySet().stream()
            .filter(
                e -> e.getKey().contains("foresight") && e.getKey().contains("numDroppedEvents"))
            .mapToLong(e -> e.getValue().getCount())
            .sum();
    spark.stop();
    var stats = ForesightPlugin.lastCaptureStats();
    String report =
        String.format(
            Locale.ROOT,
            "### Dropped records at %d tasks%n%n"
                + "%d stages of %d tasks (plus %d one-task jobs) in local[2], %d ms. Events dropped by"
                + " Foresight's queue: **%d**; dropped by Spark's `foresight` listener queue: **%d**."
                + " Capture: %s.%n",
            stages * perStage,
            stages,
            perStage,
            stages,
            ms,
            stats.eventsDropped(),
            sparkDropped,
            stats);
    System.out.println(report);
    if (o.out != null) {
      Files.writeString(o.out, report);
    }
  }
}
