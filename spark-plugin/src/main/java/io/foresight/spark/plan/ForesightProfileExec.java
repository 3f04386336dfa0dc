package io.foresight.spark.plan;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.rdd.RDD;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.Iterator;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Puts the stage it sits in on a ResourceProfile (DESIGN-NOTES §3). Placed directly below a shuffle
 * exchange, it passes its child's rows or batches through a new RDD that carries the profile, so
 * the DAGScheduler finds the profile in the shuffle-map stage's narrow lineage. It never tags the
 * child's RDD, which may be shared or cached; it is columnar exactly when its child is; its profile
 * is part of its equality, so exchange reuse never merges stages of different profiles.
 */
public final class ForesightProfileExec extends SparkPlan {
  private static final long serialVersionUID = 1L;

  private final SparkPlan child;
  private final ResourceProfile profile;

  public ForesightProfileExec(SparkPlan child, ResourceProfile profile) {
    this.child = Objects.requireNonNull(child, "child");
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  public SparkPlan child() {
    return child;
  }

  public ResourceProfile profile() {
    return profile;
  }

  @Override
  public Seq<SparkPlan> children() {
    return scala.collection.immutable.List$.MODULE$.empty().$colon$colon(child);
  }

  @Override
  public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
    return new ForesightProfileExec(newChildren.apply(0), profile);
  }

  @Override
  public Seq<Attribute> output() {
    return child.output();
  }

  @Override
  public Partitioning outputPartitioning() {
    return child.outputPartitioning();
  }

  @Override
  public Seq<SortOrder> outputOrdering() {
    return child.outputOrdering();
  }

  @Override
  public boolean supportsColumnar() {
    return child.supportsColumnar();
  }

  @Override
  public RDD<InternalRow> doExecute() {
    return withProfile(child.execute(), ClassTag$.MODULE$.apply(InternalRow.class));
  }

  @Override
  public RDD<ColumnarBatch> doExecuteColumnar() {
    return withProfile(child.executeColumnar(), ClassTag$.MODULE$.apply(ColumnarBatch.class));
  }

  /**
   * The child's RDD behind a pass-through RDD on the profile. When Spark refuses the profile (a
   * master without stage-level scheduling, dynamic allocation off), the stage runs unplanned on the
   * child's RDD: a warning and the {@code plannerErrors} metric, never a failed query.
   */
  @SuppressWarnings("unchecked")
  private <T> RDD<T> withProfile(RDD<T> rdd, ClassTag<T> tag) {
    try {
      RDD<T> wrapped = rdd.mapPartitions(new PassThrough<T>(), true, tag);
      return (RDD<T>) wrapped.withResources(profile);
    } catch (Exception e) { // Spark's SparkException is checked, and thrown from Scala unchecked
      ActivePlan.failed(e);
      return rdd;
    }
  }

  /** The identity on a partition, serialisable. */
  private static final class PassThrough<T> extends AbstractFunction1<Iterator<T>, Iterator<T>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<T> apply(Iterator<T> it) {
      return it;
    }
  }

  @Override
  public String simpleString(int maxFields) {
    return nodeName() + " profile " + profile.id();
  }

  @Override
  public int productArity() {
    return 2;
  }

  @Override
  public Object productElement(int n) {
    return switch (n) {
      case 0 -> child;
      case 1 -> profile;
      default -> throw new IndexOutOfBoundsException(Integer.toString(n));
    };
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof ForesightProfileExec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ForesightProfileExec other
        && other.profile.id() == profile.id()
        && other.child.equals(child);
  }

  @Override
  public int hashCode() {
    return 31 * child.hashCode() + profile.id();
  }
}
