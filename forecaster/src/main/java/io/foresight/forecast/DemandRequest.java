package io.foresight.forecast;

/**
 * What a caller knows at submission. Null fields are filled in: the input volume from the job's
 * seasonal forecast, the start time with now, the executor shape with the job's last one.
 *
 * @param inputGib the job's input volume in GiB, as the models take it: the size of the files its
 *     scans read, a table scanned twice counting twice (the history's {@code files_read_bytes})
 * @param listedInputGib the size its input paths hold now, as listing them finds it; used when
 *     {@code inputGib} is not given, scaled by what the job's earlier runs read per listed byte
 */
public record DemandRequest(
    String jobKey,
    Double inputGib,
    Long startMs,
    Integer executorCores,
    Integer executors,
    Double listedInputGib) {

  public DemandRequest(
      String jobKey, Double inputGib, Long startMs, Integer executorCores, Integer executors) {
    this(jobKey, inputGib, startMs, executorCores, executors, null);
  }

  public static DemandRequest of(String jobKey) {
    return new DemandRequest(jobKey, null, null, null, null, null);
  }

  public DemandRequest withInputGib(double gib) {
    return new DemandRequest(jobKey, gib, startMs, executorCores, executors, listedInputGib);
  }

  public DemandRequest withListedInputGib(double gib) {
    return new DemandRequest(jobKey, inputGib, startMs, executorCores, executors, gib);
  }

  public DemandRequest withStartMs(long ms) {
    return new DemandRequest(jobKey, inputGib, ms, executorCores, executors, listedInputGib);
  }

  public DemandRequest withExecutors(int cores, int count) {
    return new DemandRequest(jobKey, inputGib, startMs, cores, count, listedInputGib);
  }
}
