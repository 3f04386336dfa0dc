package io.foresight.capture;

import io.foresight.capture.CaptureEvent.Peaks;
import io.foresight.capture.CaptureEvent.StageShape;
import io.foresight.capture.CaptureEvent.TaskEnded;
import java.util.Arrays;

/** Task-level facts of one running stage attempt: counts, durations, memory peaks. */
final class StageAccumulator {
  final StageShape shape;
  private long[] durations = new long[16];
  private int successful;
  int failed;
  int killed;
  boolean sawTasks;
  long maxPeakExecutionMemory;
  Peaks peaks = Peaks.NONE;

  StageAccumulator(StageShape shape) {
    this.shape = shape;
  }

  void add(TaskEnded t) {
    sawTasks = true;
    if (t.successful()) {
      if (successful == durations.length) {
        durations = Arrays.copyOf(durations, durations.length * 2);
      }
      durations[successful++] = t.durationMs();
    } else if (t.killed()) {
      killed++;
    } else {
      failed++;
    }
    maxPeakExecutionMemory = Math.max(maxPeakExecutionMemory, t.peakExecutionMemory());
    peaks = peaks.max(t.executorPeaks());
  }

  int successfulTasks() {
    return successful;
  }

  /**
   * Quantiles of successful task durations, indexed as Spark's status store does: the value at
   * {@code min(floor(q * n), n - 1)} of the sorted durations. Null when no task succeeded.
   */
  long[] durationQuantiles(double... qs) {
    if (successful == 0) {
      return null;
    }
    long[] sorted = Arrays.copyOf(durations, successful);
    Arrays.sort(sorted);
    long[] out = new long[qs.length];
    for (int i = 0; i < qs.length; i++) {
      long idx = Math.min((long) (qs[i] * successful), successful - 1);
      out[i] = sorted[(int) idx];
    }
    return out;
  }
}
