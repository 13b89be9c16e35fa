package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WorkerFramesTest {
  @Test
  void results_oneResult_isAPlainResultFrame() {
    List<WorkerFrame> frames = WorkerFrames.results(List.of(result(1, 10)), 0);

    assertEquals(1, frames.size());
    assertEquals(1, frames.get(0).getResult().getTaskId());
  }

  @Test
  void results_manySmallOnes_shareOneFrameInOrder() {
    List<WorkerTaskResult> results =
        LongStream.rangeClosed(1, 100).mapToObj(id -> result(id, 10)).toList();

    List<WorkerFrame> frames = WorkerFrames.results(results, 4 << 20);

    assertEquals(1, frames.size());
    assertEquals(results, frames.get(0).getResults().getResultsList());
  }

  @Test
  void results_overTheLimit_areSplitIntoFramesThatFitIt_keepingTheirOrder() {
    long limit = 10_000;
    List<WorkerTaskResult> results =
        LongStream.rangeClosed(1, 30).mapToObj(id -> result(id, 1_000)).toList();

    List<WorkerFrame> frames = WorkerFrames.results(results, limit);

    List<WorkerTaskResult> sent = new ArrayList<>();
    for (WorkerFrame frame : frames) {
      assertTrue(
          frame.getSerializedSize() <= limit,
          "a frame of " + frame.getSerializedSize() + " bytes, over " + limit);
      sent.addAll(
          frame.hasResult() ? List.of(frame.getResult()) : frame.getResults().getResultsList());
    }
    assertEquals(results, sent);
    assertTrue(frames.size() >= 3, "30 results of 1 KB in frames of 10 KB: " + frames.size());
  }

  private static WorkerTaskResult result(long taskId, int bytes) {
    return WorkerTaskResult.newBuilder()
        .setTaskId(taskId)
        .setAttempt(1)
        .setValues(
            TaskValues.newBuilder()
                .addValues(
                    Payload.newBuilder()
                        .setCodec("bytes")
                        .setData(ByteString.copyFrom(new byte[bytes]))))
        .build();
  }
}
