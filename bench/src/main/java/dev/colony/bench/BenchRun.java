package dev.colony.bench;

import java.util.List;
import java.util.Map;

/**
 * What one run measured.
 *
 * @param rows the rows in the order they ran
 * @param errors one line per row that failed ({@code op: exception}); the others still ran
 * @param coordinatorMemory the heap readings (see {@link CoordinatorMemory}), or null
 * @param startedUtc when the run began, ISO-8601
 * @param wallSeconds the run's duration, cluster start-up included
 * @param setup how the coordinator, workers and clients ran
 */
record BenchRun(
    List<ResultRow> rows,
    List<String> errors,
    Map<String, Object> coordinatorMemory,
    String startedUtc,
    double wallSeconds,
    String setup) {}
