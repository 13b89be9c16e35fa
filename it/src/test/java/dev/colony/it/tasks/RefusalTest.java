package dev.colony.it.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Pool;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.tasks.TestTasks.Square;
import dev.colony.proto.v1.TaskFailureReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Work the worker cannot run is refused with a clear error, and the pool keeps serving. */
@Timeout(60)
class RefusalTest {
  private static InJvmColony colony;

  @BeforeAll
  static void startColony() throws Exception {
    colony = InJvmColony.start(2);
  }

  @AfterAll
  static void stopColony() throws Exception {
    colony.close();
  }

  @Test
  void unknownTaskName_failsWithUnknownTask_andPoolStillWorks() throws Exception {
    try (Pool pool = colony.client.pool()) {
      RemoteTaskException e =
          assertThrows(
              RemoteTaskException.class,
              () -> pool.apply("dev.colony.it.NoSuchTask", 1, Integer.class));

      assertEquals(TaskFailureReason.UNKNOWN_TASK, e.reason());
      assertTrue(e.remoteMessage().contains("dev.colony.it.NoSuchTask"), e.remoteMessage());
      assertEquals(9, pool.apply(Square.class, 3));
    }
  }

  @Test
  void classThatIsNotATask_failsWithNotATask_andPoolStillWorks() throws Exception {
    try (Pool pool = colony.client.pool()) {
      RemoteTaskException e =
          assertThrows(
              RemoteTaskException.class,
              () -> pool.apply(InJvmColony.class.getName(), "x", String.class));

      assertEquals(TaskFailureReason.NOT_A_TASK, e.reason());
      assertTrue(e.remoteMessage().contains(InJvmColony.class.getName()), e.remoteMessage());
      assertEquals(16, pool.apply(Square.class, 4));
    }
  }

  @Test
  void classTheWorkerDoesNotAllow_failsAtOnceWithNotAllowed_andPoolStillWorks() throws Exception {
    try (Pool pool = colony.client.pool()) {
      RemoteTaskException e =
          assertThrows(
              RemoteTaskException.class,
              () -> pool.apply(String.class.getName(), "x", String.class));

      assertEquals(TaskFailureReason.TASK_NOT_ALLOWED, e.reason());
      assertTrue(e.remoteMessage().contains("[dev.colony.it.**]"), e.remoteMessage());
      assertEquals(25, pool.apply(Square.class, 5));
    }
  }

  @Test
  void argumentTheTaskCannotDecode_failsWithBadArgument_andPoolStillWorks() throws Exception {
    try (Pool pool = colony.client.pool()) {
      RemoteTaskException e =
          assertThrows(
              RemoteTaskException.class,
              () -> pool.apply(Square.class.getName(), "not a number", Integer.class));

      assertEquals(TaskFailureReason.BAD_ARGUMENT, e.reason());
      assertEquals(25, pool.apply(Square.class, 5));
    }
  }

  @Test
  void byName_withKnownTask_runsIt() throws Exception {
    try (Pool pool = colony.client.pool()) {
      assertEquals(36, pool.apply(Square.class.getName(), 6, Integer.class));
      assertEquals(49L, pool.applyAsync(Square.class.getName(), 7, Long.class).get());
    }
  }
}
