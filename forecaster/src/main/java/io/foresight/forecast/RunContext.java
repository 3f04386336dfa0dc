package io.foresight.forecast;

/**
 * What is known about a run before it starts.
 *
 * @param inputGib the job's input volume in GiB (measured, or forecast)
 * @param executorCores cores per executor
 * @param executors executors the run will have
 * @param startMs planned start (or scheduled) time, epoch ms, for the calendar features
 */
public record RunContext(double inputGib, int executorCores, int executors, long startMs) {
  public RunContext {
    if (!(inputGib >= 0) || executorCores < 1 || executors < 1) {
      throw new IllegalArgumentException(
          "A run needs inputGib >= 0, executorCores >= 1 and executors >= 1; got "
              + inputGib
              + ", "
              + executorCores
              + ", "
              + executors);
    }
  }

  public int slots() {
    return executorCores * executors;
  }
}
