package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
  @Test
  void build_defaults() {
    WorkerOptions options = WorkerOptions.newBuilder().setCoordinator("127.0.0.1:7070").build();

    assertEquals(WorkerOptions.defaultSlots(), options.slots());
    assertEquals(Duration.ofSeconds(30), options.drainGrace());
    assertTrue(options.name().endsWith("-" + ProcessHandle.current().pid()), options.name());
  }

  @Test
  void build_withoutCoordinator_fails() {
    assertThrows(IllegalArgumentException.class, () -> WorkerOptions.newBuilder().build());
  }

  @Test
  void setPrefetch_outOfRange_fails() {
    assertThrows(IllegalArgumentException.class, () -> WorkerOptions.newBuilder().setPrefetch(-1));
    assertThrows(
        IllegalArgumentException.class, () -> WorkerOptions.newBuilder().setPrefetch(10_001));
  }

  @Test
  void setSlots_outOfRange_fails() {
    assertThrows(IllegalArgumentException.class, () -> WorkerOptions.newBuilder().setSlots(0));
    assertThrows(IllegalArgumentException.class, () -> WorkerOptions.newBuilder().setSlots(10_001));
  }

  @Test
  void build_virtualThreadsBeforeJava21_failsFastSayingWhy() {
    assumeTrue(Runtime.version().feature() < 21, "this JVM has virtual threads");

    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class,
            () ->
                WorkerOptions.newBuilder()
                    .setCoordinator("127.0.0.1:7070")
                    .setVirtualThreads(true)
                    .build());

    assertEquals(
        "virtual threads need Java 21 or newer; this is Java " + Runtime.version().feature(),
        e.getMessage());
  }
}
