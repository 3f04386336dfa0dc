package io.foresight.history;

/**
 * One resource plan Foresight made for a run: what it would set and whether it did. Written to the
 * {@code plans} table beside the history tables.
 */
@Doc(
    "One row per resource plan: the executor shape, counts and stage profiles Foresight planned for"
        + " a run, whether it applied them and why. Append-only.")
public record PlanRecord(
    @Doc("Layout version of this row") int schemaVersion,
    @Doc("Identifies the plan") String planId,
    @Doc("Recurring job key") String jobKey,
    @Doc("Application id of the planned run; null for plans made outside a run (CLI)") String appId,
    @Doc("When the plan was made, epoch ms") long plannedMs,
    @Doc("Model version the predictions came from") String modelVersion,
    @Doc("Planner mode: apply or observe") String mode,
    @Doc("Whether the plan changed the application's settings") boolean applied,
    @Doc("Why the plan was or was not applied") String reason,
    @Doc("Default executor cores planned") int defaultCores,
    @Doc("Default executor memory planned, MiB") int defaultMemoryMib,
    @Doc("Initial executors planned") int initialExecutors,
    @Doc("Maximum executors per profile planned") int maxExecutors,
    @Doc("Number of executor shapes (the default one included)") int profiles,
    @Doc("Stages the plan knows") int stages,
    @Doc("Planned memory beyond the predicted need over the stages' executor time, GiB-seconds")
        double overProvisionedGibSeconds,
    @Doc("The whole plan as JSON: profiles, and per stage its profile and the reason")
        String planJson,
    @Doc("Settings the plan changed at start-up, as JSON (empty when not applied)")
        String confChanges,
    @Doc("Who planned: plugin or cli") String source,
    @Doc("When the row was written, epoch ms") long recordedMs) {
  /** The table's folder name under the history path, and its view name under {@code foresight.}. */
  public static final String TABLE = "plans";
}
