package io.foresight.testing;

import io.foresight.history.HistoryRecord;
import io.foresight.history.JobRecord;
import java.util.List;

/** Rows of the history tables for tests that write through the spool. */
public final class HistoryRecords {
  private HistoryRecords() {}

  /** Job {@code id} of application {@code app}: two stages, succeeded, of the job "test-ingest". */
  public static JobRecord job(String app, int id) {
    return new JobRecord(
        HistoryRecord.SCHEMA_VERSION,
        app,
        "",
        "test-ingest",
        id,
        List.of(id * 2, id * 2 + 1),
        null,
        null,
        1000L + id,
        2000L + id,
        "SUCCEEDED",
        null,
        42L,
        "live",
        null,
        System.currentTimeMillis());
  }
}
