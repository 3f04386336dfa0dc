package io.foresight.capture;

import java.util.List;
import java.util.Set;

/** Which Spark properties are resource-relevant, and so recorded (redacted) with an application. */
final class ResourceConf {
  private static final List<String> PREFIXES =
      List.of(
          "spark.executor.",
          "spark.dynamicAllocation.",
          "spark.sql.adaptive.",
          "spark.task.",
          "spark.memory.",
          "spark.rapids.",
          "spark.foresight.",
          "spark.kubernetes.executor.request.",
          "spark.kubernetes.executor.limit.",
          "spark.kubernetes.driver.request.",
          "spark.kubernetes.driver.limit.");
  private static final Set<String> KEYS =
      Set.of(
          "spark.master",
          "spark.submit.deployMode",
          "spark.driver.memory",
          "spark.driver.cores",
          "spark.driver.memoryOverhead",
          "spark.driver.maxResultSize",
          "spark.cores.max",
          "spark.default.parallelism",
          "spark.sql.shuffle.partitions",
          "spark.sql.files.maxPartitionBytes",
          "spark.sql.autoBroadcastJoinThreshold",
          "spark.shuffle.service.enabled",
          "spark.kubernetes.memoryOverheadFactor",
          "spark.plugins",
          "spark.scheduler.mode",
          "spark.speculation");

  /** Under the prefixes, but carry no sizing information and often secrets or paths. */
  private static final Set<String> EXCLUDED =
      Set.of(
          "spark.executor.extraJavaOptions",
          "spark.executor.extraClassPath",
          "spark.executor.extraLibraryPath",
          "spark.executor.id");

  private ResourceConf() {}

  static boolean isRelevant(String key) {
    if (EXCLUDED.contains(key) || key.startsWith("spark.executorEnv.")) {
      return false;
    }
    if (KEYS.contains(key)) {
      return true;
    }
    for (String p : PREFIXES) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
