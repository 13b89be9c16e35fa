package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void format_alignsTheFirstColumnLeftAndTheOthersRight() {
    String text =
        TextTable.format(
            List.of(
                new String[] {"mode", "ops/s"},
                new String[] {"in-memory", "9"},
                new String[] {"x", "12,345"}),
            " ");
    assertEquals(
        " mode        ops/s\n"
            + " -----------------\n"
            + " in-memory       9\n"
            + " x          12,345\n",
        text);
  }
}
