package io.foresight.examples.bench;

import io.foresight.importer.EventLogImporter;
import io.foresight.importer.ImportResult;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.scheduler.ReplayListenerBus;
import org.apache.spark.scheduler.SparkListener;

/**
 * Import throughput in MB/s of uncompressed JSON, side by side with Spark's own {@code
 * ReplayListenerBus} replaying the same log into a listener that does nothing. Both read the same
 * decompressed bytes; Foresight's side is the whole import pipeline short of the Delta commit. Each
 * figure is the median of {@code --rounds} runs after one warm-up run.
 *
 * <pre>
 * bin/foresight bench-import [--rounds 5] [--out FILE] LOG...
 * bin/foresight bench-import --peak-memory LOG      (run it with a small -Xmx)
 * </pre>
 */
public final class ImportThroughputBenchmark {
  private ImportThroughputBenchmark() {}

  public static void main(String[] argv) throws Exception {
    int rounds = 5;
    Path out = null;
    boolean peak = false;
    List<Path> logs = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--rounds" -> rounds = Integer.parseInt(argv[++i]);
        case "--out" -> out = Path.of(argv[++i]);
        case "--peak-memory" -> peak = true;
        default -> logs.add(Path.of(argv[i]));
      }
    }
    if (peak) {
      peakMemory(logs.get(0));
      return;
    }
    StringBuilder report =
        new StringBuilder(
            "| log | JSON MB | Spark replay MB/s | Foresight import MB/s | ratio |\n"
                + "|---|---|---|---|---|\n");
    double totalMb = 0;
    double sparkSeconds = 0;
    double ourSeconds = 0;
    for (Path log : logs) {
      long bytes = jsonBytes(log);
      double mb = bytes / 1e6;
      sparkReplay(log); // warm-up
      EventLogImporter.dryRun(log);
      double[] spark = new double[rounds];
      double[] ours = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        spark[r] = sparkReplay(log);
        ours[r] = foresight(log);
      }
      double s = median(spark);
      double f = median(ours);
      totalMb += mb;
      sparkSeconds += s;
      ourSeconds += f;
      String row =
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %.2f |%n",
              log.getFileName(),
              mb,
              mb / s,
              mb / f,
              s / f);
      report.append(row);
      System.out.print(row);
    }
    String total =
        String.format(
            Locale.ROOT,
            "| **all** | %.1f | %.1f | %.1f | **%.2f** |%n",
            totalMb,
            totalMb / sparkSeconds,
            totalMb / ourSeconds,
            sparkSeconds / ourSeconds);
    report.append(total);
    System.out.print(total);
    if (out != null) {
      Files.writeString(out, report.toString());
    }
  }

  static long jsonBytes(Path log) throws IOException {
    try (InputStream in = EventLogImporter.openJson(log)) {
      return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  /** Seconds for Spark's replay of the log into a no-op listener. */
  static double sparkReplay(Path log) throws IOException {
    ReplayListenerBus bus = new ReplayListenerBus();
    bus.addListener(new SparkListener() {});
    long t0 = System.nanoTime();
    try (InputStream in = EventLogImporter.openJson(log)) {
      bus.replay(in, log.toString(), true, ReplayListenerBus.SELECT_ALL_FILTER());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds for Foresight's replay into history rows (no Delta commit). */
  static double foresight(Path log) throws IOException {
    long t0 = System.nanoTime();
    List<ImportResult> r = EventLogImporter.dryRun(log);
    if (r.isEmpty() || !r.get(0).imported()) {
      throw new IllegalStateException("not importable: " + log + " " + r);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  static void peakMemory(Path log) throws IOException {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    ImportResult r = EventLogImporter.dryRun(log).get(0);
    long peak =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .mapToLong(p -> p.getPeakUsage().getUsed())
            .sum();
    System.out.printf(
        Locale.ROOT,
        "peak heap %.1f MB (max %d MB) importing %s (%.1f MB of JSON, %d tasks): %s%n",
        peak / 1e6,
        Runtime.getRuntime().maxMemory() >> 20,
        log.getFileName(),
        jsonBytes(log) / 1e6,
        r.tasks(),
        r.status());
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
