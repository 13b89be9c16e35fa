package dev.colony.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The peers' result files ({@code results/<peer>.json} of shared/peers): every row with a
 * throughput, with the file it came from and that file's {@code meta.started_utc}. Rows of our own
 * column are left out, so a colony.json copied beside them does not compete.
 */
final class PeerResults {
  /** One peer row. */
  record Figure(
      String op,
      int clients,
      String column,
      double opsPerSecond,
      Double p50Micros,
      String file,
      String startedUtc) {}

  private final Path directory;
  private final List<Figure> figures;

  private PeerResults(Path directory, List<Figure> figures) {
    this.directory = directory;
    this.figures = List.copyOf(figures);
  }

  static PeerResults empty() {
    return new PeerResults(null, List.of());
  }

  /** Reads every {@code *.json} of {@code directory} that has a {@code results} array. */
  static PeerResults load(Path directory) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Figure> figures = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    for (Path file : files) {
      JsonNode root;
      try {
        root = json.readTree(file.toFile());
      } catch (IOException e) {
        continue; // Not a result file (or a broken one): nothing to compare with.
      }
      JsonNode results = root.path("results");
      if (!results.isArray()) {
        continue;
      }
      String started = root.path("meta").path("started_utc").asText("?");
      for (JsonNode row : results) {
        JsonNode rate = row.path("ops_per_s");
        String column = row.path("column").asText(file.getFileName().toString());
        if (!rate.isNumber() || column.equals(ResultRow.COLUMN)) {
          continue; // Refused or failed rows have null; ours never count as a peer.
        }
        JsonNode p50 = row.path("p50_us");
        figures.add(
            new Figure(
                row.path("op").asText(),
                row.path("clients").asInt(1),
                column,
                rate.asDouble(),
                p50.isNumber() ? p50.asDouble() : null,
                file.getFileName().toString(),
                started));
      }
    }
    return new PeerResults(directory, figures);
  }

  /** Where the files were read, or null for {@link #empty()}. */
  Path directory() {
    return directory;
  }

  List<Figure> figures() {
    return figures;
  }

  /** Each peer column's highest throughput on {@code op} with {@code clients} clients. */
  Map<String, Figure> bestPerColumn(String op, int clients) {
    Map<String, Figure> best = new LinkedHashMap<>();
    for (Figure f : figures) {
      if (f.op().equals(op) && f.clients() == clients) {
        best.merge(f.column(), f, (a, b) -> a.opsPerSecond() >= b.opsPerSecond() ? a : b);
      }
    }
    return best;
  }

  /** The peer with the highest throughput on {@code op} with {@code clients} clients. */
  Optional<Figure> best(String op, int clients) {
    return figures.stream()
        .filter(f -> f.op().equals(op) && f.clients() == clients)
        .max(Comparator.comparingDouble(Figure::opsPerSecond));
  }
}
