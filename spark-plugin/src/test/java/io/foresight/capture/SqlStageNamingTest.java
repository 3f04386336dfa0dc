package io.foresight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foresight.capture.CaptureEvent.AppEnded;
import io.foresight.capture.CaptureEvent.AppStarted;
import io.foresight.capture.CaptureEvent.EnvironmentSeen;
import io.foresight.capture.CaptureEvent.JobEnded;
import io.foresight.capture.CaptureEvent.JobStarted;
import io.foresight.capture.CaptureEvent.PlanNode;
import io.foresight.capture.CaptureEvent.RddOp;
import io.foresight.capture.CaptureEvent.SqlExecutionEnded;
import io.foresight.capture.CaptureEvent.SqlPlan;
import io.foresight.capture.CaptureEvent.StageCompleted;
import io.foresight.capture.CaptureEvent.StageShape;
import io.foresight.capture.CaptureEvent.StageSubmitted;
import io.foresight.capture.CaptureEvent.StageTotals;
import io.foresight.history.StageRecord;
import io.foresight.plan.StageKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A SQL stage is named by its fragment of the execution's plan, whenever it completes. */
class SqlStageNamingTest {
  /** A streaming micro-batch: scan and partial aggregate, shuffle, stateful final aggregate. */
  private static final PlanNode SCAN =
      new PlanNode(
          "HashAggregate",
          List.of(21L),
          Map.of(),
          0,
          List.of(
              new PlanNode(
                  "Project",
                  List.of(),
                  Map.of(),
                  0,
                  List.of(new PlanNode("MicroBatchScan", List.of(20L), Map.of(), 0, List.of())))));

  private static final PlanNode PLAN =
      new PlanNode(
          "WriteToDataSourceV2",
          List.of(),
          Map.of(),
          0,
          List.of(
              new PlanNode(
                  "StateStoreSave",
                  List.of(31L),
                  Map.of(),
                  0,
                  List.of(
                      new PlanNode(
                          "HashAggregate",
                          List.of(30L),
                          Map.of(),
                          0,
                          List.of(
                              new PlanNode(
                                  "Exchange", List.of(22L), Map.of(), 0, List.of(SCAN))))))));

  private final StageShape scan = shape(1, "MicroBatchScan", "Exchange");
  private final StageShape result = shape(2, "Exchange", "StateStoreSave");
  private final List<StageRecord> stages = new ArrayList<>();
  private final HistoryAggregator aggregator = Collecting.rows(StageRecord.class, stages);

  @Test
  void aStageThatCompletesAfterItsExecutionEndedIsNamedByThePlan() throws Exception {
    // Stopping a streaming query interrupts its batch: the SQL execution ends while the scan
    // stage's tasks still run; the stage completes, then the job ends cancelled.
    startBatch();
    aggregator.accept(new SqlExecutionEnded(7));
    aggregator.accept(completed(scan, 20L, 21L, 22L));
    aggregator.accept(new JobEnded(3, 30, false, "Job 3 cancelled"));
    aggregator.accept(new AppEnded(40, 0));

    assertEquals(1, stages.size(), stages.toString());
    StageRecord s = stages.get(0);
    assertEquals(fragmentKey(StageKeys.Kind.SHUFFLE), s.signature(), s.toString());
    assertEquals(List.of("MicroBatchScan", "Project", "HashAggregate", "Exchange"), s.operators());
  }

  @Test
  void plansAreKeptForABoundedNumberOfEndedExecutions() throws Exception {
    startBatch(); // execution 7, job 3, stages 1 and 2
    aggregator.accept(new SqlExecutionEnded(7));
    // as many more batches end with a job still running (Spark dropped their job ends)
    for (int i = 1; i <= HistoryAggregator.MAX_ENDED_RUNNING; i++) {
      StageShape s = shape(10 + i, "MicroBatchScan", "Exchange");
      aggregator.accept(new SqlPlan(7 + i, PLAN));
      aggregator.accept(new JobStarted(3 + i, 10, List.of(s), 7L + i, null, false, null));
      aggregator.accept(new StageSubmitted(s, false, 11L));
      aggregator.accept(new SqlExecutionEnded(7 + i));
    }
    // the oldest plan was let go: its stage is named by its RDDs; the latest is still named by it
    aggregator.accept(completed(scan, 20L, 21L, 22L));
    StageShape last = shape(10 + HistoryAggregator.MAX_ENDED_RUNNING, "MicroBatchScan", "Exchange");
    aggregator.accept(completed(last, 20L, 21L, 22L));
    assertEquals(2, stages.size(), stages.toString());
    assertEquals(List.of("MicroBatchScan", "Exchange"), stages.get(0).operators());
    assertEquals(false, fragmentKey(StageKeys.Kind.SHUFFLE).equals(stages.get(0).signature()));
    assertEquals(fragmentKey(StageKeys.Kind.SHUFFLE), stages.get(1).signature());
  }

  @Test
  void theSameStageCompletingBeforeTheEndGetsTheSameName() throws Exception {
    startBatch();
    aggregator.accept(completed(scan, 20L, 21L, 22L));
    aggregator.accept(new StageSubmitted(result, false, 21L));
    aggregator.accept(completed(result, 22L, 30L, 31L));
    aggregator.accept(new JobEnded(3, 30, true, null));
    aggregator.accept(new SqlExecutionEnded(7));
    aggregator.accept(new AppEnded(40, 0));

    assertEquals(2, stages.size(), stages.toString());
    assertEquals(fragmentKey(StageKeys.Kind.SHUFFLE), stages.get(0).signature());
    assertEquals(fragmentKey(StageKeys.Kind.RESULT), stages.get(1).signature());
  }

  /** The application, and micro-batch SQL execution 7 running job 3 with its scan submitted. */
  private void startBatch() throws Exception {
    aggregator.accept(
        new EnvironmentSeen(
            Map.of("spark.master", "local[2]", "spark.app.name", "stream"), Map.of()));
    aggregator.accept(new AppStarted("app-1", null, "stream", "me", 0));
    aggregator.accept(new SqlPlan(7, PLAN));
    aggregator.accept(new JobStarted(3, 10, List.of(scan, result), 7L, null, false, null));
    aggregator.accept(new StageSubmitted(scan, false, 11L));
  }

  private static String fragmentKey(StageKeys.Kind kind) {
    return StageKeys.fragments(PLAN).stream()
        .filter(f -> f.kind() == kind)
        .findFirst()
        .orElseThrow()
        .key();
  }

  private static StageShape shape(int id, String firstScope, String lastScope) {
    return new StageShape(
        id,
        0,
        "start at Stream.java:12",
        2,
        id == 1 ? List.of() : List.of(1),
        List.of(new RddOp(id * 10, firstScope, "rdd"), new RddOp(id * 10 + 1, lastScope, "rdd")));
  }

  private static StageCompleted completed(StageShape s, long... accums) {
    return new StageCompleted(
        s, 11L, 19L, null, new StageTotals(100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, accums);
  }
}
