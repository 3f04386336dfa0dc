package io.foresight.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageLabelTest {
  private static final String POOL =
      "$anonfun$withThreadLocalCaptured$2 at CompletableFuture.java:1768";

  @Test
  void adaptiveStagesAreNamedByWhatTheyRun() {
    assertEquals(
        "Scan parquet > Filter > BroadcastHashJoin x3 > HashAggregate > Exchange",
        StageRow.label(
            POOL,
            List.of(
                "Scan parquet",
                "ColumnarToRow",
                "Filter",
                "Project",
                "BroadcastHashJoin",
                "Project",
                "BroadcastHashJoin",
                "Project",
                "BroadcastHashJoin",
                "Project",
                "HashAggregate",
                "Exchange")));
    assertEquals(
        "Exchange > Sort > Window",
        StageRow.label(POOL, List.of("Exchange", "AQEShuffleRead", "Sort", "Window")));
  }

  @Test
  void aCallSiteOfTheUsersCodeStays() {
    List<String> ops = List.of("Scan csv", "Filter");
    assertEquals("count at Job.java:42", StageRow.label("count at Job.java:42", ops));
  }

  @Test
  void withoutOperatorsTheNameStays() {
    assertEquals(POOL, StageRow.label(POOL, null));
    assertEquals(POOL, StageRow.label(POOL, List.of()));
    assertEquals(POOL, StageRow.label(POOL, List.of("Project", "AQEShuffleRead")));
    assertEquals("", StageRow.label(null, null));
  }
}
