package io.foresight.capture;

import java.util.List;
import java.util.Map;

/**
 * What the listener hands to the writer thread: immutable, Spark-free copies of the parts of
 * listener events that the history needs. The same events come from a live application and from an
 * event-log replay, so both take one path into the tables.
 */
public sealed interface CaptureEvent {

  /** Spark version of the application (live: the running Spark; logs: the log header). */
  record VersionSeen(String sparkVersion) implements CaptureEvent {}

  /** Spark and system properties, as posted at start-up. */
  record EnvironmentSeen(Map<String, String> sparkProperties, Map<String, String> systemProperties)
      implements CaptureEvent {}

  /**
   * The size of the run's input paths, listed after start-up (with the planner off, where nothing
   * waits for it); recorded as {@code spark.foresight.input.bytes} in the application's conf.
   */
  record InputListed(long bytes) implements CaptureEvent {}

  record AppStarted(String appId, String attemptId, String name, String user, long timeMs)
      implements CaptureEvent {}

  record AppEnded(long timeMs, Integer exitCode) implements CaptureEvent {}

  /** A resource profile's executor shape; null fields are not set in the profile. */
  record ProfileAdded(int profileId, Integer cores, Long memoryBytes, Double gpus)
      implements CaptureEvent {}

  /** One RDD of a stage: id, scope name (operator) and RDD name. */
  record RddOp(int rddId, String scopeName, String rddName) {}

  /** The static description of a stage attempt, as in Spark's StageInfo. */
  record StageShape(
      int stageId,
      int attemptId,
      String name,
      int numTasks,
      List<Integer> parentIds,
      List<RddOp> rdds) {}

  /**
   * @param databricksJobId the Databricks job the run belongs to ({@code spark.databricks.job.id},
   *     which Databricks sets on each job, not in the application's conf); null elsewhere
   */
  record JobStarted(
      int jobId,
      long timeMs,
      List<StageShape> stages,
      Long sqlExecutionId,
      String jobGroup,
      boolean internal,
      String databricksJobId)
      implements CaptureEvent {}

  record JobEnded(int jobId, long timeMs, boolean succeeded, String failure)
      implements CaptureEvent {}

  record StageSubmitted(StageShape shape, boolean internal, Long submissionMs)
      implements CaptureEvent {}

  /**
   * Totals of a finished stage attempt: the values of its internal task-metric accumulators, which
   * a live StageInfo and a replayed one both carry (a replayed StageInfo has no TaskMetrics).
   */
  record StageTotals(
      long executorRunTimeMs,
      long executorCpuTimeNs,
      long jvmGcTimeMs,
      long inputBytes,
      long inputRecords,
      long outputBytes,
      long outputRecords,
      long shuffleReadBytes,
      long shuffleReadRecords,
      long shuffleWriteBytes,
      long shuffleWriteRecords,
      long memorySpillBytes,
      long diskSpillBytes) {

    /**
     * From {@code internal.metrics.*} accumulator values keyed without that prefix. A metric absent
     * from a stage that has some is zero (Spark reports only non-zero updates); a stage with none
     * at all has no totals (null).
     */
    static StageTotals fromInternalMetrics(java.util.Map<String, Long> m) {
      if (m.isEmpty()) {
        return null;
      }
      return new StageTotals(
          m.getOrDefault("executorRunTime", 0L),
          m.getOrDefault("executorCpuTime", 0L),
          m.getOrDefault("jvmGCTime", 0L),
          m.getOrDefault("input.bytesRead", 0L),
          m.getOrDefault("input.recordsRead", 0L),
          m.getOrDefault("output.bytesWritten", 0L),
          m.getOrDefault("output.recordsWritten", 0L),
          m.getOrDefault("shuffle.read.remoteBytesRead", 0L)
              + m.getOrDefault("shuffle.read.localBytesRead", 0L),
          m.getOrDefault("shuffle.read.recordsRead", 0L),
          m.getOrDefault("shuffle.write.bytesWritten", 0L),
          m.getOrDefault("shuffle.write.recordsWritten", 0L),
          m.getOrDefault("memoryBytesSpilled", 0L),
          m.getOrDefault("diskBytesSpilled", 0L));
    }
  }

  record StageCompleted(
      StageShape shape,
      Long submissionMs,
      Long completionMs,
      String failureReason,
      StageTotals totals,
      int resourceProfileId,
      long[] accumulableIds)
      implements CaptureEvent {}

  /**
   * Executor memory peaks; 0 means "not measured". {@code execution} and {@code unified} are what
   * Spark's memory manager had granted (on and off heap): to execution, and to execution and
   * storage together. {@code heapAfterGc} is the most heap a garbage collection left.
   */
  record Peaks(
      long jvmHeap,
      long jvmOffHeap,
      long processRss,
      long execution,
      long unified,
      long heapAfterGc) {
    static final Peaks NONE = new Peaks(0, 0, 0, 0, 0, 0);

    /** Only the heap a collection left, as the executor side of the plugin reports it. */
    public static Peaks heapAfterGc(long bytes) {
      return new Peaks(0, 0, 0, 0, 0, bytes);
    }

    /**
     * These peaks with the unified region's at least the execution memory's. The region holds the
     * execution memory, so its true peak is never below it; but Spark's poller reads the two
     * metrics one after the other, and a task that releases its memory between the reads leaves a
     * poll, and so a stage's peaks, with less unified than execution memory (seen on a standalone
     * executor: 38 MB unified against 67 MB execution).
     */
    Peaks withUnifiedAtLeastExecution() {
      return unified >= execution
          ? this
          : new Peaks(jvmHeap, jvmOffHeap, processRss, execution, execution, heapAfterGc);
    }

    Peaks max(Peaks o) {
      return new Peaks(
          Math.max(jvmHeap, o.jvmHeap),
          Math.max(jvmOffHeap, o.jvmOffHeap),
          Math.max(processRss, o.processRss),
          Math.max(execution, o.execution),
          Math.max(unified, o.unified),
          Math.max(heapAfterGc, o.heapAfterGc));
    }
  }

  record TaskEnded(
      int stageId,
      int stageAttemptId,
      boolean successful,
      boolean killed,
      long durationMs,
      long peakExecutionMemory,
      Peaks executorPeaks)
      implements CaptureEvent {}

  /** Executor peaks per running stage attempt, from a heartbeat or a stage-executor event. */
  record ExecutorPeaks(String executorId, int stageId, int stageAttemptId, Peaks peaks)
      implements CaptureEvent {}

  record ExecutorAdded(
      String executorId, long timeMs, String host, int cores, int resourceProfileId, Double gpus)
      implements CaptureEvent {}

  record ExecutorRemoved(String executorId, long timeMs, String reason) implements CaptureEvent {}

  /**
   * One node of a SQL physical plan, reduced to what characteristics need.
   *
   * @param filesReadMetricId the accumulator of a file scan's "size of files read" metric, which
   *     the driver sets when it lists the scan's files; null for other nodes
   */
  record PlanNode(
      String name,
      List<Long> metricIds,
      Map<String, String> metadata,
      int udfCalls,
      List<PlanNode> children,
      Long filesReadMetricId)
      implements io.foresight.plan.PlanTree {
    PlanNode(
        String name,
        List<Long> metricIds,
        Map<String, String> metadata,
        int udfCalls,
        List<PlanNode> children) {
      this(name, metricIds, metadata, udfCalls, children, null);
    }
  }

  /** A SQL execution's plan, first or re-optimised (AQE). */
  record SqlPlan(long executionId, PlanNode root) implements CaptureEvent {}

  record SqlExecutionEnded(long executionId) implements CaptureEvent {}

  /** SQL metric values the driver set for an execution (accumulator id to value). */
  record DriverMetrics(long executionId, Map<Long, Long> values) implements CaptureEvent {}
}
