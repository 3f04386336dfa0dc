package io.foresight.plan;

/**
 * The checked planner settings ({@link PlannerConf}).
 *
 * @param mode {@code apply}, {@code observe} or {@code off}
 * @param profileCostSeconds one executor of an extra profile is counted as held this long
 */
public record PlannerSettings(
    String mode,
    boolean override,
    int maxProfiles,
    double minProfileGain,
    double memoryHeadroom,
    int minExecutorMemoryMib,
    int capExecutorMemoryMib,
    int capExecutorCores,
    int capMaxExecutors,
    int capGpusPerExecutor,
    boolean gpuEnabled,
    double gpuMinStageSeconds,
    double gpuMinSpeedup,
    String gpuDiscoveryScript,
    String gpuVendor,
    int gpuConcurrentTasks,
    double profileCostSeconds) {

  /** The defaults. */
  public static PlannerSettings defaults() {
    return PlannerConf.parse(java.util.Map.of());
  }

  public boolean applies() {
    return mode.equals("apply");
  }

  public PlannerSettings withGpu(boolean enabled) {
    return new PlannerSettings(
        mode,
        override,
        maxProfiles,
        minProfileGain,
        memoryHeadroom,
        minExecutorMemoryMib,
        capExecutorMemoryMib,
        capExecutorCores,
        capMaxExecutors,
        capGpusPerExecutor,
        enabled,
        gpuMinStageSeconds,
        gpuMinSpeedup,
        gpuDiscoveryScript,
        gpuVendor,
        gpuConcurrentTasks,
        profileCostSeconds);
  }
}
