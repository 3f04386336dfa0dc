package io.foresight.plan;

import io.foresight.config.ConfigEntry;
import io.foresight.config.ConfigException;
import io.foresight.config.ValueType;
import java.util.Map;

/** The planner's keys, declared once with default, check and doc. */
public final class PlannerConf {
  private PlannerConf() {}

  public static final ConfigEntry<String> MODE =
      ConfigEntry.builder("spark.foresight.planner.mode")
          .doc(
              "apply: confident plans change the executor shape, counts and stage profiles."
                  + " observe: plans are made and recorded in foresight.plans, nothing changes."
                  + " off: no planning.")
          .typed(ValueType.oneOf("apply", "observe", "off"), "apply");

  public static final ConfigEntry<Boolean> OVERRIDE =
      ConfigEntry.builder("spark.foresight.planner.override")
          .doc(
              "When true, planned values replace executor settings the user set explicitly;"
                  + " when false (the default) the user's values win.")
          .typed(ValueType.BOOLEAN, "false");

  public static final ConfigEntry<Integer> MAX_PROFILES =
      ConfigEntry.builder("spark.foresight.planner.maxProfiles")
          .doc(
              "Most executor shapes (ResourceProfiles, the default one included) a plan uses;"
                  + " every profile has its own executors, so keep it small.")
          .typed(ValueType.integer(1, 8), "3");

  public static final ConfigEntry<Double> MIN_PROFILE_GAIN =
      ConfigEntry.builder("spark.foresight.planner.minProfileGain")
          .doc(
              "A stage group whose executor memory is within this fraction of the default"
                  + " shape's stays on the default profile.")
          .typed(ValueType.fraction(0, 1), "0.25");

  public static final ConfigEntry<Long> PROFILE_COST =
      ConfigEntry.builder("spark.foresight.planner.profileCost")
          .doc(
              "What an extra profile costs: one of its executors held this long beyond its"
                  + " stages' work (start-up, then the idle timeout before release). A stage group"
                  + " gets its own profile only when the memory-seconds it saves exceed that.")
          .typed(ValueType.durationMs(0, 86_400_000L), "60s");

  public static final ConfigEntry<Double> MEMORY_HEADROOM =
      ConfigEntry.builder("spark.foresight.planner.memoryHeadroom")
          .doc("Added to the predicted memory upper bound before rounding up to 128 MiB.")
          .typed(ValueType.fraction(0, 2), "0.1");

  public static final ConfigEntry<Long> MIN_EXECUTOR_MEMORY =
      ConfigEntry.builder("spark.foresight.planner.minExecutorMemory")
          .doc("Smallest executor heap a plan gives.")
          .typed(ValueType.bytes(450L << 20, 1L << 40), "512m");

  public static final ConfigEntry<Long> CAP_EXECUTOR_MEMORY =
      ConfigEntry.builder("spark.foresight.caps.executorMemory")
          .doc("Largest executor heap a plan may ask for, whatever the prediction.")
          .typed(ValueType.bytes(450L << 20, 1L << 40), "16g");

  public static final ConfigEntry<Integer> CAP_EXECUTOR_CORES =
      ConfigEntry.builder("spark.foresight.caps.executorCores")
          .doc("Most cores per executor a plan may ask for.")
          .typed(ValueType.integer(1, 256), "8");

  public static final ConfigEntry<Integer> CAP_MAX_EXECUTORS =
      ConfigEntry.builder("spark.foresight.caps.maxExecutors")
          .doc("Most executors (of all profiles together) a plan may ask for.")
          .typed(ValueType.integer(1, 100_000), "50");

  public static final ConfigEntry<Integer> CAP_GPUS =
      ConfigEntry.builder("spark.foresight.caps.gpusPerExecutor")
          .doc("Most GPUs per executor a plan may ask for; 0 forbids GPU profiles.")
          .typed(ValueType.integer(0, 16), "1");

  public static final ConfigEntry<Boolean> GPU_ENABLED =
      ConfigEntry.builder("spark.foresight.gpu.enabled")
          .doc(
              "Plan GPU (RAPIDS Accelerator) profiles for stages that qualify"
                  + " (docs/GPU-PLANNING.md).")
          .typed(ValueType.BOOLEAN, "false");

  public static final ConfigEntry<Long> GPU_MIN_WORK =
      ConfigEntry.builder("spark.foresight.gpu.minStageWork")
          .doc("Least predicted task time (executor-seconds) for a stage to go to a GPU.")
          .typed(ValueType.durationMs(0, 86_400_000L * 365), "60s");

  public static final ConfigEntry<Double> GPU_MIN_SPEEDUP =
      ConfigEntry.builder("spark.foresight.gpu.minSpeedup")
          .doc("Least estimated speed-up for a stage to go to a GPU.")
          .typed(ValueType.fraction(1, 100), "2.0");

  public static final ConfigEntry<String> GPU_DISCOVERY_SCRIPT =
      ConfigEntry.builder("spark.foresight.gpu.discoveryScript")
          .doc("Written to spark.executor.resource.gpu.discoveryScript when a plan uses GPUs.")
          .typed(ValueType.STRING, "/opt/sparkRapidsPlugin/getGpusResources.sh");

  public static final ConfigEntry<String> GPU_VENDOR =
      ConfigEntry.builder("spark.foresight.gpu.vendor")
          .doc("Written to spark.executor.resource.gpu.vendor when a plan uses GPUs (Kubernetes).")
          .typed(ValueType.STRING, "nvidia.com");

  public static final ConfigEntry<Integer> GPU_CONCURRENT_TASKS =
      ConfigEntry.builder("spark.foresight.gpu.concurrentGpuTasks")
          .doc("Written to spark.rapids.sql.concurrentGpuTasks when a plan uses GPUs.")
          .typed(ValueType.integer(1, 64), "2");

  /** Reads and checks every planner key; a bad value throws {@link ConfigException}. */
  public static PlannerSettings parse(Map<String, String> conf) {
    PlannerSettings s =
        new PlannerSettings(
            MODE.readFrom(conf).orElseThrow(),
            OVERRIDE.readFrom(conf).orElseThrow(),
            MAX_PROFILES.readFrom(conf).orElseThrow(),
            MIN_PROFILE_GAIN.readFrom(conf).orElseThrow(),
            MEMORY_HEADROOM.readFrom(conf).orElseThrow(),
            mib(MIN_EXECUTOR_MEMORY.readFrom(conf).orElseThrow()),
            mib(CAP_EXECUTOR_MEMORY.readFrom(conf).orElseThrow()),
            CAP_EXECUTOR_CORES.readFrom(conf).orElseThrow(),
            CAP_MAX_EXECUTORS.readFrom(conf).orElseThrow(),
            CAP_GPUS.readFrom(conf).orElseThrow(),
            GPU_ENABLED.readFrom(conf).orElseThrow(),
            GPU_MIN_WORK.readFrom(conf).orElseThrow() / 1000.0,
            GPU_MIN_SPEEDUP.readFrom(conf).orElseThrow(),
            GPU_DISCOVERY_SCRIPT.readFrom(conf).orElseThrow(),
            GPU_VENDOR.readFrom(conf).orElseThrow(),
            GPU_CONCURRENT_TASKS.readFrom(conf).orElseThrow(),
            PROFILE_COST.readFrom(conf).orElseThrow() / 1000.0);
    if (s.minExecutorMemoryMib() > s.capExecutorMemoryMib()) {
      throw new ConfigException(
          "Invalid value '"
              + conf.get(MIN_EXECUTOR_MEMORY.key())
              + "' for "
              + MIN_EXECUTOR_MEMORY.key()
              + ": expected at most "
              + CAP_EXECUTOR_MEMORY.key()
              + " ("
              + s.capExecutorMemoryMib()
              + " MiB)");
    }
    return s;
  }

  private static int mib(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, bytes >> 20);
  }

  /** Loads the class so that its keys are registered. */
  public static void load() {
    MODE.key();
  }
}
