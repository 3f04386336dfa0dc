package io.foresight.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkPlanInfo;
import org.apache.spark.sql.execution.SparkPlanInfo$;
import org.apache.spark.sql.execution.metric.SQLMetricInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@link PlanTree} views of Spark plans. A live plan goes through {@code SparkPlanInfo}, the same
 * conversion Spark applies before posting a plan to the listener bus, so the planner sees exactly
 * the tree capture sees (query stages unwrapped, reused exchanges pointing at what they reuse,
 * subqueries as children).
 */
public final class SparkPlanTrees {
  private SparkPlanTrees() {}

  /** A node of a {@code SparkPlanInfo} tree. */
  public record Node(
      String name, Map<String, String> metadata, List<Long> metricIds, List<Node> children)
      implements PlanTree {}

  public static Node of(SparkPlan plan) {
    return of(SparkPlanInfo$.MODULE$.fromSparkPlan(plan));
  }

  public static Node of(SparkPlanInfo info) {
    List<Long> ids = new ArrayList<>();
    for (SQLMetricInfo m : CollectionConverters.asJava(info.metrics())) {
      ids.add(m.accumulatorId());
    }
    Map<String, String> md = new HashMap<>();
    Map<String, String> all = CollectionConverters.asJava(info.metadata());
    for (String k : List.of("Format", "ReadSchema")) {
      String v = all.get(k);
      if (v != null) {
        md.put(k, v);
      }
    }
    List<Node> children = new ArrayList<>();
    for (SparkPlanInfo c : CollectionConverters.asJava(info.children())) {
      children.add(of(c));
    }
    return new Node(info.nodeName(), Map.copyOf(md), List.copyOf(ids), List.copyOf(children));
  }
}
