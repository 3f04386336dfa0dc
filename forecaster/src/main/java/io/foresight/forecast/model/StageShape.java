package io.foresight.forecast.model;

import java.util.List;

/**
 * The plan characteristics of a component as last captured: they are known before the run from the
 * plan, so they are features. {@code stageAttempts} is how many stage attempts of the signature one
 * run had (a signature can run more than once per application).
 */
public record StageShape(
    int numTasks,
    int stageAttempts,
    int joins,
    int aggregates,
    int windows,
    int exchanges,
    int sorts,
    int udfs,
    int schemaDepth,
    List<String> formats) {}
