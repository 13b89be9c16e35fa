package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
  @TempDir Path dir;

  @Test
  void usage_sumsTheFilesUnderTheDirectory_andFindsTheNewestSnapshot() throws Exception {
    Path sm = Files.createDirectories(dir.resolve("raft").resolve("group").resolve("sm"));
    Path current = Files.createDirectories(dir.resolve("raft").resolve("group").resolve("current"));
    Files.write(current.resolve("log_inprogress_0"), new byte[1000]);
    Files.write(sm.resolve("snapshot.1_10001"), new byte[200]);
    Files.write(sm.resolve("snapshot.1_10001.md5"), new byte[50]);
    Files.write(sm.resolve("snapshot.1_20003"), new byte[300]);

    DataDir.Usage usage = DataDir.usage(dir);

    assertEquals(1550, usage.bytes());
    assertEquals(4, usage.files());
    assertEquals(OptionalLong.of(20003), usage.snapshotIndex());
  }

  @Test
  void usage_ofAMissingDirectory_isNothing() {
    assertEquals(
        new DataDir.Usage(0, 0, OptionalLong.empty()), DataDir.usage(dir.resolve("missing")));
  }

  @Test
  void snapshotIndex_readsOnlySnapshotNames() {
    assertEquals(42, DataDir.snapshotIndex("snapshot.3_42"));
    assertEquals(-1, DataDir.snapshotIndex("snapshot.3_42.md5"));
    assertEquals(-1, DataDir.snapshotIndex("log_0-99"));
  }

  @Test
  void format_usesBinaryUnits() {
    assertEquals("0 B", DataDir.format(0));
    assertEquals("1023 B", DataDir.format(1023));
    assertEquals("1.0 KiB", DataDir.format(1024));
    assertEquals("1.5 MiB", DataDir.format(3 << 19));
    assertEquals("2.0 GiB", DataDir.format(2L << 30));
  }

  @Test
  void delete_removesTheTree() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("a").resolve("b"));
    Files.writeString(tree.resolve("f"), "x");

    DataDir.delete(dir.resolve("a"));

    assertFalse(Files.exists(dir.resolve("a")));
  }
}
