package io.foresight.history;

import io.foresight.history.internal.KernelTableWriter;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/** Appends plans to the {@code plans} table with Delta Kernel (no Spark job). */
public final class PlanTable {
  private PlanTable() {}

  /** Appends one plan in one commit, creating the table when absent. */
  public static void append(String historyPath, Configuration hadoopConf, PlanRecord plan)
      throws IOException {
    new KernelTableWriter(hadoopConf, 20)
        .append(
            HistoryLocation.of(historyPath).plansPath(),
            HistorySchema.ofRecord(PlanRecord.class),
            List.of(RecordJson.toJson(plan)),
            "foresight-plans-" + UUID.randomUUID(),
            1);
  }
}
