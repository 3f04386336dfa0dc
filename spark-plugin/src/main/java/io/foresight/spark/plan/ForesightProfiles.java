package io.foresight.spark.plan;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.resource.ResourceProfile;

/**
 * Planned profiles for RDD jobs, which no SQL rule sees: {@code ForesightProfiles.planned(rdd,
 * "3fa4c1d2e5b60718")} returns {@code rdd} behind a pass-through RDD that carries the profile the
 * active plan gives that stage signature (as listed by {@code bin/foresight plan --job KEY}), or
 * {@code rdd} itself when the plan keeps the stage on the default profile or there is no plan. The
 * RDD passed in is never tagged, so a shared or cached RDD is safe.
 */
public final class ForesightProfiles {
  private ForesightProfiles() {}

  public static <T> JavaRDD<T> planned(JavaRDD<T> rdd, String stageSignature) {
    ActivePlan active = ActivePlan.current();
    if (active == null || rdd.context().isStopped()) {
      return rdd;
    }
    ResourceProfile profile;
    try {
      profile = active.profileFor(stageSignature);
    } catch (Exception e) {
      active.countFailure();
      return rdd;
    }
    if (profile == null) {
      return rdd;
    }
    try {
      JavaRDD<T> wrapped = rdd.mapPartitions(it -> it, true);
      return wrapped.withResources(profile);
    } catch (Exception e) { // Spark refused the profile (no stage-level scheduling here)
      ActivePlan.failed(e);
      return rdd;
    }
  }

  /**
   * The Spark id of the profile the active plan gives {@code stageSignature}; 0 for the default.
   */
  public static int profileId(String stageSignature) {
    ActivePlan active = ActivePlan.current();
    if (active == null) {
      return ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID();
    }
    ResourceProfile p = active.profileFor(stageSignature);
    return p == null ? ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID() : p.id();
  }
}
