package io.foresight.spark.plan;

import io.foresight.plan.SparkPlanTrees;
import io.foresight.plan.StageKeys;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeLike;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every shuffle-map stage the active plan assigns to a profile on that profile: below each
 * shuffle exchange whose stage key ({@link StageKeys}) the plan maps to a non-default profile, a
 * {@link ForesightProfileExec}. Idempotent (an exchange already over a profile node is left alone),
 * so AQE may re-run it on every re-optimisation. Any failure leaves the plan as it was.
 */
final class ProfileRule extends Rule<SparkPlan> {
  private static final Logger LOG = LoggerFactory.getLogger(ProfileRule.class);

  private static SparkPlan place(SparkPlan p, ActivePlan active) {
    if (!(p instanceof ShuffleExchangeLike)
        || p.children().size() != 1
        || p.children().head() instanceof ForesightProfileExec) {
      return p;
    }
    String key = StageKeys.keyOf(SparkPlanTrees.of(p));
    ResourceProfile profile = active.profileFor(key);
    if (profile == null) {
      return p;
    }
    active.countPlaced();
    return p.withNewChildren(
        scala.collection.immutable.List$.MODULE$
            .<SparkPlan>empty()
            .$colon$colon(new ForesightProfileExec(p.children().head(), profile)));
  }

  @Override
  public SparkPlan apply(SparkPlan plan) {
    ActivePlan active = ActivePlan.current();
    if (active == null || !active.appliesTo(plan)) {
      return plan;
    }
    try {
      scala.Function1<SparkPlan, SparkPlan> place = p -> place(p, active);
      return plan.transformUp(scala.PartialFunction$.MODULE$.fromFunction(place));
    } catch (Exception | LinkageError e) {
      active.countFailure();
      LOG.warn(
          "Foresight: could not place stages on their profiles; the query runs unplanned ({})",
          e.toString());
      return plan;
    }
  }
}
