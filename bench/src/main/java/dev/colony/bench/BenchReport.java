package dev.colony.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result file, in the peers' format: {@code meta}, {@code results} (one row per op and client
 * count; with several runs, the medians, each with its runs' throughputs in {@code ops_per_s_runs})
 * and {@code errors}.
 */
final class BenchReport {
  private BenchReport() {}

  static Map<String, Object> toJson(
      List<BenchRun> runs, List<ResultRow> rows, Map<String, Object> meta) {
    List<Map<String, Object>> results = new ArrayList<>();
    for (ResultRow row : rows) {
      Map<String, Object> json = row.toJson();
      if (runs.size() > 1) {
        json.put("runs", runs.size());
        json.put(
            "ops_per_s_runs",
            runs.stream()
                .flatMap(r -> r.rows().stream())
                .filter(r -> r.key().equals(row.key()))
                .map(ResultRow::opsPerSecond)
                .toList());
      }
      results.add(json);
    }
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      String prefix = runs.size() > 1 ? "run " + (i + 1) + ": " : "";
      runs.get(i).errors().forEach(e -> errors.add(prefix + e));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("meta", meta);
    root.put("results", results);
    root.put("errors", errors);
    return root;
  }

  static void write(Path file, Map<String, Object> json) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }
}
