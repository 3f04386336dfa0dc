package io.foresight.spark.plan;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.ColumnarRule;
import org.apache.spark.sql.execution.SparkPlan;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The {@code spark.sql.extensions} entry the driver plugin adds (after the user's own) when a plan
 * puts stages on profiles. With AQE the rule runs as a query-stage preparation rule, on every
 * re-optimisation; without AQE as a post-transition columnar rule. Both are idempotent, so running
 * both is harmless.
 */
public final class ForesightExtensions
    extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {
  @Override
  public BoxedUnit apply(SparkSessionExtensions ext) {
    ext.injectQueryStagePrepRule(session -> new ProfileRule());
    ext.injectColumnar(session -> new PostTransitions());
    return BoxedUnit.UNIT;
  }

  /** Runs the rule after row/columnar transitions are in place (AQE off). */
  static final class PostTransitions extends ColumnarRule {
    @Override
    public Rule<SparkPlan> postColumnarTransitions() {
      return new ProfileRule();
    }
  }
}
