/**
 * Reserved for the dag-planner module: stage DAG analysis and ResourceProfile planning (issue:
 * planner). Empty until that work lands; the module exists now so the module graph (history-store,
 * forecaster, dag-planner, spark-plugin) is fixed from the start.
 */
package io.foresight.plan;
