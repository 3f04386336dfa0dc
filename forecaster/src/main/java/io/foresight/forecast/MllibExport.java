package io.foresight.forecast;

import io.foresight.forecast.model.LinearModel;
import io.foresight.forecast.model.Tree;
import io.foresight.forecast.model.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;

/** Converts trained MLlib models into the plain-Java models of a model file. */
public final class MllibExport {
  private MllibExport() {}

  public static TreeEnsemble of(GBTRegressionModel model) {
    List<Tree> trees = new ArrayList<>();
    for (DecisionTreeRegressionModel t : model.trees()) {
      trees.add(of(t.rootNode()));
    }
    return new TreeEnsemble(trees, model.treeWeights().clone());
  }

  public static LinearModel of(LinearRegressionModel model) {
    return new LinearModel(model.intercept(), model.coefficients().toArray());
  }

  static Tree of(Node root) {
    List<Node> order = new ArrayList<>();
    collect(root, order);
    int n = order.size();
    int[] feature = new int[n];
    double[] threshold = new double[n];
    int[] left = new int[n];
    int[] right = new int[n];
    double[] value = new double[n];
    int[] index = new int[1];
    fill(root, index, feature, threshold, left, right, value);
    return new Tree(feature, threshold, left, right, value);
  }

  private static void collect(Node node, List<Node> out) {
    out.add(node);
    if (node instanceof InternalNode in) {
      collect(in.leftChild(), out);
      collect(in.rightChild(), out);
    }
  }

  /** Pre-order: a node's children always come after it. Returns the node's index. */
  private static int fill(
      Node node,
      int[] next,
      int[] feature,
      double[] threshold,
      int[] left,
      int[] right,
      double[] value) {
    int i = next[0]++;
    value[i] = node.prediction();
    if (node instanceof LeafNode) {
      feature[i] = -1;
      return i;
    }
    InternalNode in = (InternalNode) node;
    Split split = in.split();
    if (!(split instanceof ContinuousSplit cs)) {
      throw new IllegalArgumentException(
          "Only continuous splits can be exported; the model has a "
              + split.getClass().getSimpleName());
    }
    feature[i] = cs.featureIndex();
    threshold[i] = cs.threshold();
    left[i] = fill(in.leftChild(), next, feature, threshold, left, right, value);
    right[i] = fill(in.rightChild(), next, feature, threshold, left, right, value);
    return i;
  }
}
