package dev.colony.cli;

import dev.colony.client.ColonyClient;
import java.io.PrintWriter;

/** One example of {@code colony demo}: runs against the demo's cluster and checks its result. */
interface DemoExample {
  /** Shown before it runs and next to its check mark. */
  String title();

  /**
   * Runs the example and checks what it produced.
   *
   * @param colony a client of the demo's cluster
   * @param out where to explain what happens, for a person reading along
   */
  Result run(ColonyClient colony, PrintWriter out) throws Exception;

  /** Whether the example's check passed, and one line about what it found. */
  record Result(boolean passed, String summary) {}
}
