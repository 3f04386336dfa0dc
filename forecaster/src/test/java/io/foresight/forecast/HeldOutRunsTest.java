package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HeldOutRunsTest {
  /** The app ids of the held-out runs. */
  private static Set<String> heldOut(List<AppRun> runs) {
    boolean[] held = ForecastTrainer.heldOutRuns(runs, 0.25);
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < runs.size(); i++) {
      if (held[i]) {
        out.add(runs.get(i).appId());
      }
    }
    return out;
  }

  private static List<AppRun> shifted(List<AppRun> runs, long byMs) {
    return runs.stream()
        .map(
            r ->
                new AppRun(
                    r.appId(),
                    r.jobKey(),
                    r.startMs() + byMs,
                    r.wallClockMs(),
                    r.inputBytes(),
                    r.executorCores(),
                    r.executors(),
                    r.stages()))
        .toList();
  }

  @Test
  void eachJobWithEnoughRunsHoldsOutItsOwnLatestRuns() {
    List<AppRun> runs = new ArrayList<>(SyntheticRuns.job("early", 12, 1));
    // a second job whose runs all come after the first job's: a global "latest 25 %" would hold
    // out only its runs and leave the first job without calibration residuals
    runs.addAll(shifted(SyntheticRuns.job("late", 8, 2), 100L * 24 * 3_600_000L));
    runs.addAll(shifted(SyntheticRuns.job("tiny", 4, 3), 200L * 24 * 3_600_000L));
    runs.sort(Comparator.comparingLong(AppRun::startMs));
    assertEquals(
        new TreeSet<>(
            List.of("app-early-9", "app-early-10", "app-early-11", "app-late-6", "app-late-7")),
        heldOut(runs));
  }

  @Test
  void interleavedJobsAndShortHistories() {
    List<AppRun> runs = new ArrayList<>(SyntheticRuns.job("a", 5, 1));
    runs.addAll(shifted(SyntheticRuns.job("b", 5, 2), 1));
    runs.sort(Comparator.comparingLong(AppRun::startMs));
    assertEquals(new TreeSet<>(List.of("app-a-4", "app-b-4")), heldOut(runs));
    assertEquals(Set.of(), heldOut(SyntheticRuns.job("a", 4, 1)));
  }
}
