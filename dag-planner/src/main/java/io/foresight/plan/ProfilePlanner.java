package io.foresight.plan;

import io.foresight.forecast.ComponentRun;
import io.foresight.plan.ResourcePlan.Profile;
import io.foresight.plan.ResourcePlan.Shape;
import io.foresight.plan.ResourcePlan.StagePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns per-stage predictions into a {@link ResourcePlan}.
 *
 * <ol>
 *   <li>Each stage's executor memory need is its memory upper bound (the executor heap peak, or the
 *       largest task's execution memory, plus its share of what the stage spilled, times the cores
 *       over Spark's unified memory fraction, plus reserved memory, whichever is larger) plus
 *       headroom, rounded up to 128 MiB, between the minimum and the cap. A stage that needs more
 *       than the cap at the planned cores gets fewer cores, so that the cap holds. The need never
 *       exceeds the memory per core that the stage's own runs showed to be enough at this volume
 *       ({@link StageDemand#memoryCeilingMibPerCore}): memory grows past what the runs had only on
 *       evidence of pressure (a spill while its memory manager was near full, a heap peak near the
 *       executor's memory).
 *   <li>Qualifying stages go to one GPU profile ({@link GpuPlanner}).
 *   <li>The other stages with a need are grouped into at most {@code maxProfiles} (minus the GPU
 *       one) executor shapes by dynamic programming over the needs in ascending order: groups of
 *       consecutive needs are optimal for this objective. The objective is the memory given beyond
 *       each stage's need over its executor time (GiB-seconds), plus, for each profile besides the
 *       default, one of its executors held for {@code profileCost} (start-up and idle time): a
 *       profile must save more than it costs, so a short job stays on one shape.
 *   <li>The group with the most predicted work becomes the default profile; a group within {@code
 *       minProfileGain} of the default's memory joins it. Stages without a prediction run on the
 *       default, which then never shrinks below the memory the application would have had.
 *   <li>Initial executors are the job's useful parallelism, but no more than the widest stage of
 *       the default profile can use (Spark starts only the default profile's executors up front;
 *       with shuffle tracking, idle ones are kept). The maximum keeps every profile together within
 *       {@code caps.maxExecutors}.
 * </ol>
 *
 * Pure and deterministic; no Spark.
 */
public final class ProfilePlanner {
  /** Spark's default {@code spark.memory.fraction}, as the forecaster judges memory pressure. */
  static final double MEMORY_FRACTION = ComponentRun.MEMORY_FRACTION;

  /** Spark's reserved system memory per executor, GiB. */
  static final double RESERVED_GIB = ComponentRun.RESERVED_BYTES / (double) (1L << 30);

  /** In-memory size of spilled data relative to its size on disk (serialised, lz4). */
  static final double SPILL_EXPANSION = 3.0;

  /** Less spill than this per task (1 MiB in memory) is no memory need. */
  static final double MIN_SPILL_PER_TASK_GIB = 1.0 / 1024;

  public static final String RAPIDS_PLUGIN = "com.nvidia.spark.SQLPlugin";

  private ProfilePlanner() {}

  public static ResourcePlan plan(JobDemand job, PlannerSettings settings) {
    return plan(job, settings, Map.of());
  }

  /**
   * Plans a run. {@code measuredGpuSpeedups} maps stage keys to speed-ups measured from past GPU
   * runs, which replace the table's estimate.
   */
  public static ResourcePlan plan(
      JobDemand job, PlannerSettings settings, Map<String, Double> measuredGpuSpeedups) {
    int cores0 = Math.max(1, Math.min(job.baseCores(), settings.capExecutorCores()));
    int baseMem = clampMem(job.baseMemoryMib(), settings);
    List<Need> planned = new ArrayList<>();
    List<Need> gpu = new ArrayList<>();
    List<StagePlan> unplanned = new ArrayList<>();
    for (StageDemand s : job.stages()) {
      if (!s.confident()) {
        unplanned.add(new StagePlan(s.key(), s.name(), 0, 0, false, "prediction not confident"));
        continue;
      }
      Need n = need(s, cores0, job.baseCores(), settings);
      String gpuWhy = GpuPlanner.disqualification(s, settings, measuredGpuSpeedups);
      if (gpuWhy == null && n != null) {
        gpu.add(n);
        continue;
      }
      if (n == null) {
        unplanned.add(new StagePlan(s.key(), s.name(), 0, 0, false, "no memory prediction"));
        continue;
      }
      planned.add(n);
    }

    int budget = Math.max(1, settings.maxProfiles() - (gpu.isEmpty() ? 0 : 1));
    planned.sort(Comparator.comparingInt((Need n) -> n.mib).thenComparing(n -> n.stage.key()));
    List<List<Need>> groups = group(planned, budget, settings.profileCostSeconds());

    // The default profile: the group with the most work; then nearby groups join it.
    int defIdx = mostWork(groups);
    List<Need> def = groups.isEmpty() ? new ArrayList<>() : new ArrayList<>(groups.get(defIdx));
    List<List<Need>> others = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      if (g != defIdx) {
        others.add(groups.get(g));
      }
    }
    boolean unknownOnDefault = !unplanned.isEmpty();
    int defMem = def.isEmpty() ? baseMem : maxMib(def);
    if (unknownOnDefault) {
      defMem = Math.max(defMem, baseMem);
    }
    int defCores = def.isEmpty() ? cores0 : minCores(def);
    boolean merged = true;
    while (merged) {
      merged = false;
      for (int i = 0; i < others.size(); i++) {
        List<Need> o = others.get(i);
        int m = maxMib(o);
        if (minCores(o) == defCores && Math.abs(m - defMem) <= settings.minProfileGain() * defMem) {
          def.addAll(o);
          defMem = Math.max(defMem, m);
          others.remove(i);
          merged = true;
          break;
        }
      }
    }
    others.sort(Comparator.comparingInt(ProfilePlanner::maxMib));

    List<Profile> profiles = new ArrayList<>();
    List<StagePlan> stages = new ArrayList<>();
    Shape defShape = new Shape(defCores, defMem, 0);
    profiles.add(new Profile(0, defShape, keys(def)));
    for (Need n : def) {
      stages.add(
          new StagePlan(
              n.stage.key(), n.stage.name(), 0, n.mib, false, n.reason + "; default profile"));
    }
    for (List<Need> o : others) {
      int idx = profiles.size();
      Shape shape = new Shape(minCores(o), maxMib(o), 0);
      profiles.add(new Profile(idx, shape, keys(o)));
      for (Need n : o) {
        stages.add(
            new StagePlan(
                n.stage.key(), n.stage.name(), idx, n.mib, false, n.reason + "; profile " + idx));
      }
    }
    if (!gpu.isEmpty()) {
      int idx = profiles.size();
      int gpus = Math.min(1, settings.capGpusPerExecutor());
      Shape shape =
          new Shape(minCores(gpu), Math.max(maxMib(gpu), settings.minExecutorMemoryMib()), gpus);
      profiles.add(new Profile(idx, shape, keys(gpu)));
      for (Need n : gpu) {
        double sp = GpuPlanner.speedup(n.stage, measuredGpuSpeedups);
        stages.add(
            new StagePlan(
                n.stage.key(),
                n.stage.name(),
                idx,
                n.mib,
                true,
                String.format(
                    "%s; GPU profile %d: estimated speed-up %.1fx over %.0f s of work",
                    n.reason, idx, sp, n.stage.executorSeconds())));
      }
    }
    for (StagePlan u : unplanned) {
      stages.add(
          new StagePlan(u.key(), u.name(), 0, 0, false, u.reason() + "; stays on the default"));
    }

    int maxTasks = 1;
    int maxDefaultTasks = 1;
    Map<String, Integer> profileOf = new HashMap<>();
    stages.forEach(sp -> profileOf.putIfAbsent(sp.key(), sp.profile()));
    for (StageDemand s : job.stages()) {
      maxTasks = Math.max(maxTasks, s.numTasks());
      if (profileOf.getOrDefault(s.key(), 0) == 0) {
        maxDefaultTasks = Math.max(maxDefaultTasks, s.numTasks());
      }
    }
    int perProfileCap = Math.max(1, settings.capMaxExecutors() / profiles.size());
    int initial =
        job.usefulExecutors() > 0
            ? Math.max(
                1, (int) Math.ceil((double) job.usefulExecutors() * job.baseCores() / defCores))
            : 1;
    initial = Math.min(initial, (maxDefaultTasks + defCores - 1) / defCores);
    initial = Math.min(initial, perProfileCap);
    int max = Math.min(perProfileCap, Math.max(initial, (maxTasks + defCores - 1) / defCores));
    if (job.executorCeiling() > 0) {
      int ceiling =
          Math.max(1, (int) Math.ceil((double) job.executorCeiling() * job.baseCores() / defCores));
      max = Math.max(initial, Math.min(max, ceiling));
    }

    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.executor.cores", Integer.toString(defShape.cores()));
    conf.put("spark.executor.memory", defShape.memory());
    conf.put("spark.dynamicAllocation.enabled", "true");
    conf.put("spark.dynamicAllocation.shuffleTracking.enabled", "true");
    conf.put("spark.dynamicAllocation.initialExecutors", Integer.toString(initial));
    conf.put("spark.dynamicAllocation.minExecutors", "0");
    conf.put("spark.dynamicAllocation.maxExecutors", Integer.toString(max));
    if (!gpu.isEmpty()) {
      conf.put("spark.executor.resource.gpu.discoveryScript", settings.gpuDiscoveryScript());
      conf.put("spark.executor.resource.gpu.vendor", settings.gpuVendor());
      conf.put(
          "spark.rapids.sql.concurrentGpuTasks", Integer.toString(settings.gpuConcurrentTasks()));
      conf.put("spark.plugins", RAPIDS_PLUGIN); // appended to the user's plugins when applied
    }

    Map<String, StageDemand> byKey = new HashMap<>();
    job.stages().forEach(d -> byKey.putIfAbsent(d.key(), d));
    double waste = 0;
    for (StagePlan sp : stages) {
      if (sp.needMib() > 0) {
        Shape shape = profiles.get(sp.profile()).shape();
        StageDemand d = byKey.get(sp.key());
        waste += (shape.memoryMib() - sp.needMib()) / 1024.0 * weight(d, shape.cores());
      }
    }
    String reason =
        job.confident()
            ? (profiles.size() == 1
                    ? "default executors only"
                    : "default executors and " + (profiles.size() - 1) + " stage profile(s)")
                + ", sized for "
                + (stages.size() - unplanned.size())
                + " of "
                + stages.size()
                + " stage(s)"
                + (job.executorCeiling() > 0
                    ? "; at most " + max + " executor(s): " + job.ceilingReason()
                    : "")
            : job.reason();
    return new ResourcePlan(
        job.jobKey(),
        job.modelVersion(),
        job.confident(),
        reason,
        initial,
        0,
        max,
        List.copyOf(profiles),
        List.copyOf(stages),
        Map.copyOf(conf),
        waste);
  }

  /** A stage with its memory need at its planned cores. */
  private record Need(StageDemand stage, int cores, int mib, String reason) {}

  private static Need need(StageDemand s, int cores0, int baseCores, PlannerSettings settings) {
    double heap = s.heapGibUpper() * cores0 / Math.max(1, baseCores);
    // Spilled bytes are serialised and compressed on disk; held in memory they take several times
    // as much. A task that spilled needed its peak plus its share of the spill.
    double spillPerTask =
        Double.isFinite(s.spillGibUpper()) && s.spillGibUpper() > 0
            ? SPILL_EXPANSION * s.spillGibUpper() / Math.max(1, s.numTasks())
            : 0;
    if (spillPerTask < MIN_SPILL_PER_TASK_GIB) {
      spillPerTask = 0; // the bound of a stage that never spilled is a rounding above 0
    }
    double task = (s.taskMemoryGibUpper() + spillPerTask) * cores0 / MEMORY_FRACTION + RESERVED_GIB;
    double gib = Double.NaN;
    String why = null;
    if (Double.isFinite(heap) && heap > 0) {
      gib = heap;
      why = "heap upper bound " + gib2(heap) + " GiB";
    }
    if (Double.isFinite(s.taskMemoryGibUpper())
        && s.taskMemoryGibUpper() >= 0
        && (Double.isNaN(gib) || task > gib)) {
      gib = task;
      why =
          "largest task's execution memory "
              + gib2(s.taskMemoryGibUpper())
              + " GiB"
              + (spillPerTask > 0 ? " + " + gib2(spillPerTask) + " GiB it spilled" : "")
              + " x "
              + cores0
              + " cores";
    }
    if (Double.isNaN(gib)) {
      return null;
    }
    double raw = gib * 1024 * (1 + settings.memoryHeadroom());
    int cores = cores0;
    if (raw > settings.capExecutorMemoryMib()) {
      // Fewer concurrent tasks per executor need proportionally less memory.
      cores = Math.max(1, (int) Math.floor(cores0 * settings.capExecutorMemoryMib() / raw));
      raw = raw * cores / cores0;
      why +=
          "; capped: "
              + cores
              + " core(s) to stay within "
              + settings.capExecutorMemoryMib()
              + " MiB";
    }
    int ceiling = (int) Math.ceil(s.memoryCeilingMibPerCore() * cores / 128) * 128;
    if (ceiling > 0 && raw > ceiling) {
      // A JVM's heap peak grows with the heap it is given: a bound above a size that its runs
      // showed to be enough is no evidence that the stage needs more.
      raw = ceiling;
      why +=
          "; held to "
              + ceiling
              + " MiB, which its runs at "
              + cores
              + " core(s) had without memory pressure";
    }
    int mib = clampMem((int) Math.min(Integer.MAX_VALUE, Math.ceil(raw / 128) * 128), settings);
    return new Need(s, cores, mib, "needs " + mib + " MiB (" + why + ")");
  }

  /** Two decimals, without the cost of a cold {@code String.format} per stage. */
  static String gib2(double v) {
    long c = Math.round(v * 100);
    return (c / 100) + "." + (c % 100 < 10 ? "0" : "") + (c % 100);
  }

  private static int clampMem(int mib, PlannerSettings settings) {
    int m = (int) (Math.ceil(Math.max(mib, 1) / 128.0) * 128);
    return Math.max(settings.minExecutorMemoryMib(), Math.min(settings.capExecutorMemoryMib(), m));
  }

  /** Executor-seconds a stage keeps executors of {@code cores} busy: its task time over cores. */
  private static double weight(StageDemand d, int cores) {
    double w = d == null ? Double.NaN : d.executorSeconds();
    return (Double.isFinite(w) && w > 0 ? w : 1.0) / cores;
  }

  /**
   * Optimal split of stages sorted by need into at most {@code k} groups of consecutive stages,
   * minimising the over-provisioned GiB-seconds. Stages with the same need always share a group in
   * some optimal split, so the dynamic programme runs over the distinct needs (a few dozen, since
   * needs are rounded to 128 MiB), not over the stages. The number of groups is then chosen with
   * each group but the default one (the one with the most work) charged one executor of its memory
   * for {@code profileCostSeconds}.
   */
  static List<List<Need>> group(List<Need> sorted, int k, double profileCostSeconds) {
    List<List<Need>> buckets = new ArrayList<>();
    for (Need x : sorted) {
      if (buckets.isEmpty() || buckets.get(buckets.size() - 1).get(0).mib != x.mib) {
        buckets.add(new ArrayList<>());
      }
      buckets.get(buckets.size() - 1).add(x);
    }
    int n = buckets.size();
    if (n == 0) {
      return new ArrayList<>();
    }
    k = Math.min(k, n);
    double[] prefixW = new double[n + 1];
    double[] prefixWm = new double[n + 1];
    for (int i = 0; i < n; i++) {
      double w = 0;
      for (Need x : buckets.get(i)) {
        w += weight(x.stage, x.cores);
      }
      int mib = buckets.get(i).get(0).mib;
      prefixW[i + 1] = prefixW[i] + w;
      prefixWm[i + 1] = prefixWm[i] + w * mib;
    }
    // best[g][j]: cheapest split of buckets 0..j-1 into g groups; a group's memory is its top need.
    double[][] best = new double[k + 1][n + 1];
    int[][] cut = new int[k + 1][n + 1];
    for (double[] row : best) {
      Arrays.fill(row, Double.POSITIVE_INFINITY);
    }
    best[0][0] = 0;
    for (int g = 1; g <= k; g++) {
      for (int j = 1; j <= n; j++) {
        int top = buckets.get(j - 1).get(0).mib;
        for (int i = g - 1; i < j; i++) {
          if (best[g - 1][i] == Double.POSITIVE_INFINITY) {
            continue;
          }
          double c =
              best[g - 1][i]
                  + (top * (prefixW[j] - prefixW[i]) - (prefixWm[j] - prefixWm[i])) / 1024.0;
          if (c < best[g][j] - 1e-12) {
            best[g][j] = c;
            cut[g][j] = i;
          }
        }
      }
    }
    List<List<Need>> chosen = null;
    double chosenCost = Double.POSITIVE_INFINITY;
    for (int g = 1; g <= k; g++) {
      if (best[g][n] == Double.POSITIVE_INFINITY) {
        continue;
      }
      List<List<Need>> split = split(buckets, cut, g);
      double cost = best[g][n] + profileCostSeconds * extraProfilesGib(split);
      if (cost < chosenCost - 1e-9) {
        chosen = split;
        chosenCost = cost;
      }
    }
    return chosen;
  }

  private static List<List<Need>> split(List<List<Need>> buckets, int[][] cut, int groups) {
    List<List<Need>> out = new ArrayList<>();
    int j = buckets.size();
    for (int g = groups; g >= 1; g--) {
      int i = cut[g][j];
      List<Need> group = new ArrayList<>();
      for (int b = i; b < j; b++) {
        group.addAll(buckets.get(b));
      }
      out.add(0, group);
      j = i;
    }
    return out;
  }

  /** Memory (GiB) of one executor of each group but the default one. */
  private static double extraProfilesGib(List<List<Need>> split) {
    double total = 0;
    for (List<Need> g : split) {
      total += maxMib(g) / 1024.0;
    }
    return total - maxMib(split.get(mostWork(split))) / 1024.0;
  }

  /** The index of the group that becomes the default profile: the one with the most work. */
  private static int mostWork(List<List<Need>> groups) {
    int best = 0;
    for (int g = 1; g < groups.size(); g++) {
      if (work(groups.get(g)) > work(groups.get(best))) {
        best = g;
      }
    }
    return best;
  }

  private static double work(List<Need> g) {
    double s = 0;
    for (Need n : g) {
      s += weight(n.stage, n.cores);
    }
    return s;
  }

  private static int maxMib(List<Need> g) {
    int m = 0;
    for (Need n : g) {
      m = Math.max(m, n.mib);
    }
    return m;
  }

  private static int minCores(List<Need> g) {
    int c = Integer.MAX_VALUE;
    for (Need n : g) {
      c = Math.min(c, n.cores);
    }
    return c == Integer.MAX_VALUE ? 1 : c;
  }

  private static List<String> keys(List<Need> g) {
    List<String> k = new ArrayList<>();
    for (Need n : g) {
      k.add(n.stage.key());
    }
    return List.copyOf(k);
  }
}
