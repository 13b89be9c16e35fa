package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.TaskFailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker runs only the task classes it was given: its --tasks jars, or what it allows. */
class TaskAllowListTest {

  @Test
  void glob_starStaysInItsPackage_doubleStarCrossesPackages() {
    TaskAllowList one = TaskAllowList.of(List.of("com.acme.*"));
    TaskAllowList all = TaskAllowList.of(List.of("com.acme.**"));

    assertTrue(one.allowsName("com.acme.Resize"));
    assertTrue(one.allowsName("com.acme.Outer$Inner"));
    assertFalse(one.allowsName("com.acme.sub.Resize"));
    assertFalse(one.allowsName("com.acmeX.Resize"));
    assertTrue(all.allowsName("com.acme.sub.Resize"));
    assertFalse(all.allowsName("org.acme.Resize"));
  }

  @Test
  void regex_matchesTheWholeName() {
    TaskAllowList regex = TaskAllowList.of(List.of("regex:com\\.acme\\.(Resize|Crop)"));

    assertTrue(regex.allowsName("com.acme.Crop"));
    assertFalse(regex.allowsName("com.acme.CropAll"));
  }

  @Test
  void badPatterns_areRefusedWhenTheOptionsAreBuilt() {
    WorkerOptions.Builder blank =
        WorkerOptions.newBuilder().setCoordinator("127.0.0.1:1").addAllowedTasks(" ");
    WorkerOptions.Builder regex =
        WorkerOptions.newBuilder().setCoordinator("127.0.0.1:1").addAllowedTasks("regex:(");

    assertThrows(IllegalArgumentException.class, blank::build);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, regex::build);
    assertTrue(e.getMessage().startsWith("--allow-tasks"), e.getMessage());
  }

  @Test
  void taskMatchingNoPattern_isRefusedAsNotAllowed_beforeItsClassIsLoaded() {
    TaskRegistry registry =
        TaskRegistry.create(List.of(), TaskAllowList.of(List.of("com.acme.**")));

    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> registry.lookup(TestTasks.Square.class.getName()));

    assertEquals(TaskFailureReason.TASK_NOT_ALLOWED, refusal.reason());
    assertEquals(SecurityException.class.getName(), refusal.remoteClassName());
    assertTrue(refusal.getMessage().contains("[com.acme.**]"), refusal.getMessage());
  }

  @Test
  void taskMatchingAPattern_runs() throws Throwable {
    TaskRegistry registry =
        TaskRegistry.create(List.of(), TaskAllowList.of(List.of("dev.colony.worker.TestTasks$*")));

    assertSame(
        TestTasks.Square.class, registry.lookup(TestTasks.Square.class.getName()).taskClass());
  }

  @Test
  void withoutPatterns_aClasspathTaskIsRefused_sayingHowToAllowIt() {
    TaskRegistry registry = TaskRegistry.create(List.of(), TaskAllowList.of(List.of()));

    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> registry.lookup(TestTasks.Square.class.getName()));

    assertEquals(TaskFailureReason.TASK_NOT_ALLOWED, refusal.reason());
    assertTrue(
        refusal
            .getMessage()
            .contains(
                "without --allow-tasks it runs only the classes of its"
                    + " --tasks jars (none were given)"),
        refusal.getMessage());
  }

  @Test
  void allowedClassThatIsNotATask_isStillRefusedAsNotATask() {
    TaskRegistry registry = TaskRegistry.create(List.of(), TaskAllowList.of(List.of("java.**")));

    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> registry.lookup("java.lang.ProcessBuilder"));

    assertEquals(TaskFailureReason.NOT_A_TASK, refusal.reason());
  }
}
