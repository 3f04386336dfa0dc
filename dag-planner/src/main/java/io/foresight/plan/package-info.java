/**
 * Stage DAG analysis and resource planning: {@link io.foresight.plan.StageKeys} names SQL stages
 * the same way at capture and at planning, {@link io.foresight.plan.StageDag} is the stage DAG of a
 * physical plan, {@link io.foresight.plan.ProfilePlanner} turns per-stage predictions into a {@link
 * io.foresight.plan.ResourcePlan}.
 */
package io.foresight.plan;
