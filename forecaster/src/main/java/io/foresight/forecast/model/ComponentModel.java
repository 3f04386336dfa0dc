package io.foresight.forecast.model;

import java.util.Map;

/**
 * What the model knows about one stage signature (component): its per-target scaling models (when
 * it had enough runs), the plan characteristics seen last, and exponentially weighted history used
 * as lag features.
 *
 * @param runs applications in the training data that ran this signature
 * @param scaling per target column, {@code ln(label) ~ ln(job input GiB) + ln(task slots)}; empty
 *     when the component had fewer runs than the minimum
 * @param lagLogPerInput per target column, EWMA of {@code ln(label) - ln(job input GiB)}
 * @param inputShare EWMA of the component's input bytes over its job's input bytes
 * @param gpuSpeedup its work on CPU executors over its work on GPU executors, per GiB of input (its
 *     own scans', else the job's), measured from runs of both kinds; 0 when not measured
 * @param memory what its runs showed about executor memory; null in models written before it
 */
public record ComponentModel(
    String signature,
    String name,
    int runs,
    StageShape shape,
    Map<String, ScalingModel> scaling,
    Map<String, Double> lagLogPerInput,
    double inputShare,
    long lastSeenMs,
    double gpuSpeedup,
    MemoryEvidence memory) {

  /** {@link #memory}, or {@link MemoryEvidence#NONE} for an older model. */
  public MemoryEvidence memoryEvidence() {
    return memory == null ? MemoryEvidence.NONE : memory;
  }
}
