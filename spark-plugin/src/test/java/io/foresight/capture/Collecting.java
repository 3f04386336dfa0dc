package io.foresight.capture;

import io.foresight.history.HistoryRecord;
import java.util.List;

/** Aggregators for tests, keeping the rows of one kind they emit. */
final class Collecting {
  private Collecting() {}

  /**
   * A live capture's aggregator that adds each row of type {@code type} it emits to {@code into}.
   */
  static <R extends HistoryRecord> HistoryAggregator rows(Class<R> type, List<R> into) {
    return new HistoryAggregator(
        r -> {
          if (type.isInstance(r)) {
            into.add(type.cast(r));
          }
        },
        "ingest",
        "live",
        null,
        () -> 0L);
  }
}
