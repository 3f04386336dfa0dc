package io.foresight.forecast;

/**
 * How far a prediction can be trusted. The planner acts on {@code HIGH} and {@code MEDIUM} and
 * leaves a {@code LOW} job to Spark's reactive dynamic allocation.
 */
public enum Confidence {
  /** A per-component model with enough runs and a low recent error. */
  HIGH,
  /** The global model, or a component model whose recent error is moderate. */
  MEDIUM,
  /** Too little history, a high recent error, or no usable model: do not act on it. */
  LOW
}
