package io.foresight.plan;

import java.util.List;
import java.util.Map;

/**
 * A physical plan node as both sides see it: the planner from a live {@code SparkPlan} (through
 * {@code SparkPlanInfo}) and capture from the plan in a SQL execution event. Keys are computed from
 * this view only, so a stage gets the same key on both sides.
 */
public interface PlanTree {
  /** The node name ({@code SparkPlan.nodeName}). */
  String name();

  /**
   * Scan metadata ({@code ReadSchema}, {@code Format}, {@code Location}); empty for other nodes.
   */
  Map<String, String> metadata();

  /** Accumulator ids of the node's SQL metrics (used to find the stage a node ran in). */
  List<Long> metricIds();

  List<? extends PlanTree> children();
}
