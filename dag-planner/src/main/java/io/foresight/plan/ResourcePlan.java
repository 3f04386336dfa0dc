package io.foresight.plan;

import java.util.List;
import java.util.Map;

/**
 * A plan for one run of a job: the default executor shape and counts, a few stage-level profiles
 * and which stage goes where, with the reason for each choice.
 *
 * @param actionable whether the plan may be applied (confident predictions); an unactionable plan
 *     is recorded and explained, never applied
 * @param profiles index 0 is the default profile; the others become stage-level ResourceProfiles
 * @param conf the Spark settings the plan writes at start-up (before the user's explicit values are
 *     considered)
 * @param overProvisionedGibSeconds the objective: executor memory given beyond the predicted need,
 *     summed over the stages' executor time
 */
public record ResourcePlan(
    String jobKey,
    String modelVersion,
    boolean actionable,
    String reason,
    int initialExecutors,
    int minExecutors,
    int maxExecutors,
    List<Profile> profiles,
    List<StagePlan> stages,
    Map<String, String> conf,
    double overProvisionedGibSeconds) {

  /** An executor shape. {@code gpus} is per executor; tasks get {@code gpus / cores} each. */
  public record Shape(int cores, int memoryMib, int gpus) {
    public String memory() {
      return memoryMib + "m";
    }

    /** GPU amount per task: 1/cores of the executor's GPUs. */
    public double taskGpus() {
      return gpus == 0 ? 0 : (double) gpus / cores;
    }

    @Override
    public String toString() {
      return cores + " cores, " + memoryMib + " MiB" + (gpus > 0 ? ", " + gpus + " GPU" : "");
    }
  }

  /** A profile: index 0 is the default one. */
  public record Profile(int index, Shape shape, List<String> stageKeys) {
    public boolean isDefault() {
      return index == 0;
    }
  }

  /** Where one stage goes and why. {@code needMib} is NaN-free: 0 when unknown. */
  public record StagePlan(
      String key, String name, int profile, int needMib, boolean gpu, String reason) {}

  /** The profile index of a stage key, or 0 (default) when the plan does not know the stage. */
  public int profileOf(String key) {
    for (StagePlan s : stages) {
      if (s.key().equals(key)) {
        return s.profile();
      }
    }
    return 0;
  }

  public Profile defaultProfile() {
    return profiles.get(0);
  }

  /** Whether the plan puts any stage on a profile other than the default. */
  public boolean hasStageProfiles() {
    return profiles.size() > 1;
  }

  /** A plan that changes nothing. */
  public static ResourcePlan none(String jobKey, String modelVersion, String reason, Shape shape) {
    return new ResourcePlan(
        jobKey,
        modelVersion,
        false,
        reason,
        0,
        0,
        0,
        List.of(new Profile(0, shape, List.of())),
        List.of(),
        Map.of(),
        0);
  }
}
