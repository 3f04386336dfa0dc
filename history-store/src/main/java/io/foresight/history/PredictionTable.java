package io.foresight.history;

import io.foresight.history.internal.KernelTableWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/** Appends predictions to the {@code predictions} table with Delta Kernel (no Spark job). */
public final class PredictionTable {
  private PredictionTable() {}

  /** Appends {@code rows} in one commit, creating the table when absent. */
  public static void append(
      String historyPath, Configuration hadoopConf, List<PredictionRecord> rows)
      throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    List<String> json = new ArrayList<>(rows.size());
    for (PredictionRecord r : rows) {
      json.add(RecordJson.toJson(r));
    }
    new KernelTableWriter(hadoopConf, 20)
        .append(
            HistoryLocation.of(historyPath).predictionsPath(),
            HistorySchema.ofRecord(PredictionRecord.class),
            json,
            "foresight-predictions-" + UUID.randomUUID(),
            1);
  }
}
