package io.foresight.history;

import io.foresight.history.internal.KernelTableWriter;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/** Creates history tables that do not exist yet, empty, so queries over a new history work. */
final class EmptyTables {
  private EmptyTables() {}

  static void ensure(HistoryLocation location) throws IOException {
    KernelTableWriter writer = new KernelTableWriter(new Configuration(), 10);
    for (HistoryTable t : HistoryTable.values()) {
      writer.createIfAbsent(location.tablePath(t), HistorySchema.of(t));
    }
    writer.createIfAbsent(
        location.predictionsPath(), HistorySchema.ofRecord(PredictionRecord.class));
    writer.createIfAbsent(location.plansPath(), HistorySchema.ofRecord(PlanRecord.class));
  }
}
