package io.foresight.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs of a made-up recurring job with known laws: four components in a chain-with-fork DAG whose
 * work scales as {@code input^0.9} with 5 % log-normal noise, input following a 6-run season.
 */
final class SyntheticRuns {
  static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z
  static final long EVERY_4H = 4 * 3600_000L;

  private SyntheticRuns() {}

  static List<AppRun> job(String jobKey, int runs, long seed) {
    Random rnd = new Random(seed);
    List<AppRun> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      double gib = seasonalGib(i, rnd);
      out.add(run(jobKey, i, gib, rnd, 1.0));
    }
    return out;
  }

  /** Run {@code i}'s input: a 6-run season around 2 GiB with 10 % noise, at least 0.2 GiB. */
  private static double seasonalGib(int i, Random rnd) {
    double gib = 2.0 * (1 + 0.5 * Math.sin(2 * Math.PI * i / 6)) * (1 + 0.1 * rnd.nextGaussian());
    return Math.max(0.2, gib);
  }

  /** {@code r} under another application id, with its input paths' size at submission. */
  static AppRun copy(AppRun r, String appId, long listedInputBytes) {
    return new AppRun(
        appId,
        r.jobKey(),
        r.startMs(),
        r.wallClockMs(),
        r.inputBytes(),
        r.executorCores(),
        r.executors(),
        r.stages(),
        listedInputBytes);
  }

  /** One run; {@code slowdown} multiplies all work (for drift). */
  static AppRun run(String jobKey, int i, double gib, Random rnd, double slowdown) {
    return run(jobKey, "sig-", i, gib, rnd, slowdown, 2, 1.0, false, 0);
  }

  /** GPU speed-ups of {@link #jobWithGpuRuns}'s stages; the others run as fast as on CPU. */
  static final double GPU_SCAN_SPEEDUP = 3.0;

  static final double GPU_JOIN_SPEEDUP = 4.0;

  /**
   * Runs of which every third ran on GPU executors (1 GPU each), where the scan did a third and the
   * join a quarter of its CPU work. Signatures start with the job key.
   */
  static List<AppRun> jobWithGpuRuns(String jobKey, int runs, long seed) {
    Random rnd = new Random(seed);
    List<AppRun> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      double gib = seasonalGib(i, rnd);
      out.add(run(jobKey, jobKey + "-", i, gib, rnd, 1.0, 2, 1.0, i % 3 == 2, 0));
    }
    return out;
  }

  /**
   * Runs alternating between 1 and 2 executors of 2 cores, whose stage durations (and so
   * wall-clock) are multiplied by {@code executors^slotExponent}: a negative exponent when more
   * slots help, a positive one when they slow the job down (more executors than real cores).
   * Signatures start with the job key, so that these components do not mix with {@link #job}'s.
   */
  static List<AppRun> jobWithSlots(String jobKey, int runs, long seed, double slotExponent) {
    Random rnd = new Random(seed);
    List<AppRun> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      double gib = seasonalGib(i, rnd);
      int executors = 1 + i % 2;
      out.add(
          run(
              jobKey,
              jobKey + "-",
              i,
              gib,
              rnd,
              1.0,
              executors,
              Math.pow(executors, slotExponent),
              false,
              0));
    }
    return out;
  }

  /**
   * Runs on one executor of 2 cores and {@code memoryMib}, whose stages' heap peaks are {@code
   * (0.25 + 0.1 * input GiB) GiB} (0.35 to 0.6 GiB over the season). Signatures start with the job
   * key.
   */
  static List<AppRun> jobOnExecutors(String jobKey, int runs, long seed, int memoryMib) {
    Random rnd = new Random(seed);
    List<AppRun> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      double gib = seasonalGib(i, rnd);
      out.add(run(jobKey, jobKey + "-", i, gib, rnd, 1.0, 1, 1.0, false, (long) memoryMib << 20));
    }
    return out;
  }

  /**
   * {@code run} with the spilled bytes of the stage whose signature ends with {@code stage} set to
   * {@code bytes}; the other stages as they were.
   */
  static AppRun withSpill(AppRun run, String stage, long bytes) {
    List<StageRow> stages = new ArrayList<>();
    for (StageRow s : run.stages()) {
      stages.add(
          !s.signature().endsWith(stage)
              ? s
              : new StageRow(
                  s.stageId(),
                  s.signature(),
                  s.name(),
                  s.parentStageIds(),
                  s.numTasks(),
                  s.durationMs(),
                  s.executorRunTimeMs(),
                  s.peakExecutionMemoryBytes(),
                  s.executorPeakJvmHeapBytes(),
                  s.inputBytes(),
                  s.filesReadBytes(),
                  s.shuffleWriteBytes(),
                  bytes,
                  s.joins(),
                  s.aggregates(),
                  s.windows(),
                  s.exchanges(),
                  s.sorts(),
                  s.udfs(),
                  s.schemaDepth(),
                  s.formats(),
                  s.gpus(),
                  s.executorCores(),
                  s.executorMemoryBytes(),
                  s.executorPeakUnifiedMemoryBytes(),
                  s.executorPeakHeapAfterGcBytes()));
    }
    return new AppRun(
        run.appId(),
        run.jobKey(),
        run.startMs(),
        run.wallClockMs(),
        run.inputBytes(),
        run.executorCores(),
        run.executors(),
        stages);
  }

  /** Run {@code i} of {@link #jobOnExecutors}, at {@code gib} of input. */
  static AppRun runOnExecutors(String jobKey, int i, double gib, long seed, int memoryMib) {
    return run(
        jobKey, jobKey + "-", i, gib, new Random(seed), 1.0, 1, 1.0, false, (long) memoryMib << 20);
  }

  /**
   * Runs whose plan depends on their input, as adaptive execution's join choice does: above {@code
   * switchGib} the join is another stage ({@code <jobKey>-join-smj}, twice the work) that also
   * waits for a stage of its own ({@code <jobKey>-exchange}). Run {@code i} is at {@code gibs[i]}.
   */
  static List<AppRun> jobWithTwoPlans(String jobKey, double[] gibs, double switchGib, long seed) {
    Random rnd = new Random(seed);
    List<AppRun> out = new ArrayList<>();
    for (int i = 0; i < gibs.length; i++) {
      boolean big = gibs[i] > switchGib;
      out.add(run(jobKey, jobKey + "-", i, gibs[i], rnd, 1.0, 2, 1.0, false, 0, big));
    }
    return out;
  }

  private static AppRun run(
      String jobKey,
      String sigPrefix,
      int i,
      double gib,
      Random rnd,
      double slowdown,
      int executors,
      double durationFactor,
      boolean gpu,
      long memoryBytes) {
    return run(
        jobKey,
        sigPrefix,
        i,
        gib,
        rnd,
        slowdown,
        executors,
        durationFactor,
        gpu,
        memoryBytes,
        false);
  }

  private static AppRun run(
      String jobKey,
      String sigPrefix,
      int i,
      double gib,
      Random rnd,
      double slowdown,
      int executors,
      double durationFactor,
      boolean gpu,
      long memoryBytes,
      boolean sortMergeJoin) {
    long bytes = (long) (gib * AppRun.GIB);
    List<StageRow> stages = new ArrayList<>();
    double f = durationFactor;
    double g = gpu ? 1 : 0;
    double scan = 40 * slowdown / (gpu ? GPU_SCAN_SPEEDUP : 1);
    double join = 20 * slowdown / (gpu ? GPU_JOIN_SPEEDUP : 1);
    String p = sigPrefix;
    long m = memoryBytes;
    stages.add(stage(p, 0, "scan", List.of(), 16, scan, gib, bytes, rnd, 1, 0, f, g, m));
    stages.add(stage(p, 1, "agg", List.of(0), 8, 12 * slowdown, gib, 0, rnd, 0, 1, f, g, m));
    stages.add(stage(p, 2, "dim", List.of(), 2, 3 * slowdown, gib, 0, rnd, 0, 0, f, g, m));
    if (sortMergeJoin) {
      stages.add(stage(p, 3, "exchange", List.of(2), 8, 4, gib, 0, rnd, 0, 0, f, g, m));
      stages.add(stage(p, 4, "join-smj", List.of(1, 3), 8, 2 * join, gib, 0, rnd, 0, 0, f, g, m));
    } else {
      stages.add(stage(p, 3, "join", List.of(1, 2), 8, join, gib, 0, rnd, 0, 0, f, g, m));
    }
    long wall = 0;
    // critical path: scan -> agg -> join (dim runs beside)
    for (int s : new int[] {0, 1, stages.size() - 1}) {
      wall += stages.get(s).durationMs();
    }
    wall += 4000;
    return new AppRun(
        "app-" + jobKey + "-" + i, jobKey, START + i * EVERY_4H, wall, bytes, 2, executors, stages);
  }

  private static StageRow stage(
      String sigPrefix,
      int id,
      String name,
      List<Integer> parents,
      int tasks,
      double secondsPerGib,
      double gib,
      long input,
      Random rnd,
      int scans,
      int aggs,
      double durationFactor,
      double gpus,
      long memoryBytes) {
    double noise = Math.exp(0.05 * rnd.nextGaussian());
    double work = secondsPerGib * Math.pow(gib, 0.9) * noise;
    double duration = (work / Math.min(4, tasks) + 0.3) * durationFactor;
    long heap = (long) ((0.25 + 0.1 * gib) * Math.exp(0.03 * rnd.nextGaussian()) * AppRun.GIB);
    return new StageRow(
        id,
        sigPrefix + name,
        name + " at Job.scala:" + (10 + id),
        parents,
        tasks,
        (long) (duration * 1000),
        (long) (work * 1000),
        heap / 4,
        heap,
        input,
        0,
        (long) (0.1 * gib * AppRun.GIB),
        0,
        name.startsWith("join") ? 1 : 0,
        aggs,
        0,
        1,
        0,
        0,
        scans,
        scans == 1 ? List.of("parquet") : List.of(),
        gpus,
        2,
        memoryBytes,
        0,
        (long) (heap * 0.6));
  }
}
