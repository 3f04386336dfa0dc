package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foresight.capture.CaptureEvent.AppStarted;
import io.foresight.capture.CaptureEvent.JobEnded;
import io.foresight.capture.CaptureEvent.JobStarted;
import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.StageCompleted;
import io.foresight.capture.CaptureEvent.StageShape;
import io.foresight.capture.CaptureEvent.StageSubmitted;
import io.foresight.history.StageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application that runs stages for days (a streaming query's micro-batches, a notebook session):
 * the capture's memory of past stages stays bounded, and recent stages keep their job.
 */
class LongRunningCaptureTest {

  @Test
  void memoryOfPastStagesIsBoundedAndRecentStagesKeepTheirJob() throws Exception {
    int batches = 3 * Bounded.STAGES;
    int[] rows = new int[1];
    StageRecord[] last = new StageRecord[1];
    HistoryAggregator a =
        new HistoryAggregator(
            r -> {
              if (r instanceof StageRecord s) {
                rows[0]++;
                last[0] = s;
              }
            },
            "ingest-1",
            "live",
            null,
            () -> 0L);
    a.accept(new AppStarted("app-streaming", null, "stream", "me", 0));
    int stageId = 0;
    for (int b = 0; b < batches; b++) {
      long t = 1000L * b;
      // Each micro-batch: a SQL job listing a stage skipped over an earlier shuffle and the stage
      // that runs; every third batch also a job of Foresight's own (internal) with a stage.
      StageShape skipped = shape(stageId++, List.of(), 7);
      StageShape runs = shape(stageId++, List.of(skipped.stageId()), 10_000 + b);
      a.accept(new JobStarted(2 * b, t, List.of(skipped, runs), (long) b, null, false, null));
      a.accept(new StageSubmitted(runs, false, t));
      a.accept(new StageCompleted(runs, t, t + 5, null, null, 0, new long[0]));
      a.accept(new JobEnded(2 * b, t + 6, true, null));
      if (b % 3 == 0) {
        StageShape own = shape(stageId++, List.of(), 20_000_000 + b);
        a.accept(new JobStarted(2 * b + 1, t, List.of(own), null, null, true, null));
        a.accept(new StageSubmitted(own, true, t));
        a.accept(new StageCompleted(own, t, t + 1, null, null, 0, new long[0]));
        a.accept(new JobEnded(2 * b + 1, t + 2, true, null));
      }
    }
    assertEquals(batches, rows[0], "one row per stage that ran, none for skipped or own stages");
    assertEquals(2 * (batches - 1), last[0].jobId(), "the latest stage keeps its job");
    assertTrue(stageId > 2 * Bounded.STAGES, "far more stages than the capture remembers");
    assertEquals(Bounded.STAGES, a.stagesRemembered());
  }

  @Test
  void jobsStagesAndPlansWhoseEndsWereDroppedAreForgottenOldestFirst() throws Exception {
    List<StageRecord> rows = new java.util.ArrayList<>();
    HistoryAggregator a = Collecting.rows(StageRecord.class, rows);
    a.accept(new AppStarted("app-busy", null, "busy", "me", 0));
    // a job of a SQL execution per batch, and a stage of it submitted, none of them ending
    int n = Bounded.IN_FLIGHT + 100;
    for (int b = 0; b < n; b++) {
      StageShape s = shape(b, List.of(), b);
      a.accept(new CaptureEvent.SqlPlan(b, plan(b)));
      a.accept(new JobStarted(b, b, List.of(s), (long) b, null, false, null));
      a.accept(new StageSubmitted(s, false, (long) b));
    }
    assertEquals(Bounded.IN_FLIGHT, a.inFlightRemembered());
    assertEquals(Bounded.PLANS, a.plansRemembered());
    // the latest are still known: a stage completing now is named by its execution's plan
    StageShape latest = shape(n - 1, List.of(), n - 1);
    a.accept(new StageCompleted(latest, 0L, 5L, null, null, 0, new long[] {n - 1}));
    assertEquals(1, rows.size());
    assertEquals(io.foresight.plan.StageKeys.keyOf(plan(n - 1)), rows.get(0).signature());
    assertEquals(n - 1, rows.get(0).jobId());
  }

  /** A one-node plan whose metric is accumulator {@code id}. */
  private static CaptureEvent.PlanNode plan(long id) {
    return new CaptureEvent.PlanNode("Project", List.of(id), java.util.Map.of(), 0, List.of());
  }

  private static StageShape shape(int id, List<Integer> parents, int rddId) {
    return new StageShape(
        id, 0, "batch stage", 4, parents, List.of(new RddOp(rddId, "Project", "MapPartitionsRDD")));
  }
}
