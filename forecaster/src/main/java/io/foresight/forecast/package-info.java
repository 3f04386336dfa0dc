/**
 * Reserved for the forecaster module: demand models trained on the history (issue: forecaster).
 * Empty until that work lands; the module exists now so the module graph (history-store,
 * forecaster, dag-planner, spark-plugin) is fixed from the start.
 */
package io.foresight.forecast;
