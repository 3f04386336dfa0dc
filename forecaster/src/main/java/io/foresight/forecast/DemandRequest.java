package io.foresight.forecast;

/**
 * What a caller knows at submission. Null fields are filled in: the input volume from the job's
 * seasonal forecast, the start time with now, the executor shape with the job's last one.
 *
 * @param inputGib the job's input volume in GiB, e.g. measured by listing its input paths
 */
public record DemandRequest(
    String jobKey, Double inputGib, Long startMs, Integer executorCores, Integer executors) {
  public static DemandRequest of(String jobKey) {
    return new DemandRequest(jobKey, null, null, null, null);
  }

  public DemandRequest withInputGib(double gib) {
    return new DemandRequest(jobKey, gib, startMs, executorCores, executors);
  }

  public DemandRequest withStartMs(long ms) {
    return new DemandRequest(jobKey, inputGib, ms, executorCores, executors);
  }

  public DemandRequest withExecutors(int cores, int count) {
    return new DemandRequest(jobKey, inputGib, startMs, cores, count);
  }
}
