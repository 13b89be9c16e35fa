package dev.colony.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.colony.client.RemoteTaskException;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteFailuresTest {

  @Test
  void parse_readsFramesWithModulesNativeAndUnknownSources_andSkipsTheRest() {
    StackTraceElement[] frames =
        RemoteFailures.parse(
            List.of(
                "at com.example.Crunch.call(Crunch.java:42)",
                "at java.base/java.lang.Thread.run(Thread.java:840)",
                "at jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                "at com.example.Gen.run(Unknown Source)",
                "... 3 more",
                "garbage"));

    assertEquals(4, frames.length);
    assertEquals(new StackTraceElement("com.example.Crunch", "call", "Crunch.java", 42), frames[0]);
    assertEquals("java.lang.Thread", frames[1].getClassName());
    assertEquals(840, frames[1].getLineNumber());
    assertEquals(true, frames[2].isNativeMethod());
    assertNull(frames[3].getFileName());
  }

  @Test
  void of_workerLost_carriesReasonMessageAndCauses() {
    TaskOutcome outcome =
        TaskOutcome.newBuilder()
            .setTaskId(7)
            .setState(TaskState.TASK_STATE_FAILED)
            .setError(
                RemoteError.newBuilder()
                    .setClassName("dev.colony.WorkerLostException")
                    .setMessage("worker lost: gone 4 times")
                    .setReason(TaskFailureReason.WORKER_LOST)
                    .setCause(
                        RemoteError.newBuilder()
                            .setClassName("java.io.IOException")
                            .setMessage("reset")
                            .addStack("at a.B.c(B.java:1)")))
            .build();

    RemoteTaskException e = RemoteFailures.of(outcome);

    assertEquals(7, e.taskId());
    assertEquals(TaskFailureReason.WORKER_LOST, e.reason());
    assertEquals("dev.colony.WorkerLostException: worker lost: gone 4 times", e.getMessage());
    assertEquals("java.io.IOException", e.getCause().remoteClassName());
    assertEquals("a.B", e.getCause().getStackTrace()[0].getClassName());
  }
}
