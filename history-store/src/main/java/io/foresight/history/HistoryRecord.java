package io.foresight.history;

/**
 * One row of a history table. Implementations are Java records whose components are the columns:
 * camelCase component names become snake_case column names, and the Delta schema is derived from
 * the component types (see {@link HistorySchema}).
 */
public interface HistoryRecord {
  /** The version of the column layout the row was written with; see docs/HISTORY-SCHEMA.md. */
  int SCHEMA_VERSION = 1;

  HistoryTable table();
}
