package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizeSamplerTest {
  @TempDir Path dir;

  private static SizeSampler.Sample sample(double seconds, long ops, long bytes, long snapshot) {
    return new SizeSampler.Sample(
        seconds,
        ops,
        new DataDir.Usage(
            bytes, 3, snapshot < 0 ? OptionalLong.empty() : OptionalLong.of(snapshot)));
  }

  private final List<SizeSampler.Sample> samples =
      List.of(
          sample(0.0, 0, 100, -1),
          sample(1.0, 400, 5_000, -1),
          sample(2.0, 800, 3_000, 10_001),
          sample(3.0, 1_000, 4_000, 20_002));

  @Test
  void maxBytes_isTheLargestSample() {
    assertEquals(5_000, SizeSampler.maxBytes(samples));
    assertEquals(0, SizeSampler.maxBytes(List.of()));
  }

  @Test
  void growth_comparesTheLargestSizeOfEachHalfOfTheOps() {
    // First half (ops <= 500): max 5,000; second half: max 4,000.
    assertEquals(0.8, SizeSampler.growth(samples), 1e-9);
    assertTrue(Double.isNaN(SizeSampler.growth(List.of())));
  }

  @Test
  void lastSnapshotIndex_isTheNewestSeen() {
    assertEquals(OptionalLong.of(20_002), SizeSampler.lastSnapshotIndex(samples));
    assertEquals(OptionalLong.empty(), SizeSampler.lastSnapshotIndex(samples.subList(0, 2)));
  }

  @Test
  void format_putsSeveralSamplesOnALine() {
    assertEquals(
        "  t=0.0s 100 B @0  t=1.0s 4.9 KiB @400  t=2.0s 2.9 KiB @800\n  t=3.0s 3.9 KiB @1,000\n",
        SizeSampler.format(samples, 3, "  "));
  }

  @Test
  void sampler_looksAtTheDirectoryUntilStopped() throws Exception {
    Files.write(dir.resolve("f"), new byte[10]);
    List<SizeSampler.Sample> seen;
    try (SizeSampler sampler = new SizeSampler(dir, Duration.ofMillis(10), () -> 7)) {
      seen = sampler.stop();
    }
    assertFalse(seen.isEmpty());
    SizeSampler.Sample last = seen.get(seen.size() - 1);
    assertEquals(10, last.bytes());
    assertEquals(7, last.ops());
  }
}
