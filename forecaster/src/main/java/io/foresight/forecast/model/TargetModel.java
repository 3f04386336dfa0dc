package io.foresight.forecast.model;

import java.util.Map;

/**
 * The models of one target: the global tree ensemble (for components with few runs), and the
 * calibration of each model kind ({@code component} and {@code global}) on held-out recent runs.
 *
 * @param heldOutMetrics held-out error of each kind: {@code mape}, {@code coverage}
 */
public record TargetModel(
    TreeEnsemble global,
    Calibration componentCalibration,
    Calibration globalCalibration,
    Map<String, Double> heldOutMetrics) {}
