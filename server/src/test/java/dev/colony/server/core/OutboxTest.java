package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  @Test
  void resultsAcknowledgedInOneBatch_goOutAsOneFramePerWorkerStream_whereTheFirstWas() {
    Outbox outbox = new Outbox();
    outbox.reply(1, Reply.getDefaultInstance());
    outbox.ackResult(7, 100);
    outbox.ackResult(8, 200);
    outbox.reply(2, Reply.getDefaultInstance());
    outbox.ackResult(7, 101);

    List<Output> outputs = outbox.drain();

    assertEquals(List.of(1L, 7L, 8L, 2L), outputs.stream().map(Output::getTo).toList());
    assertEquals(List.of(100L, 101L), outputs.get(1).getWorker().getResultsAck().getTaskIdsList());
    assertEquals(List.of(200L), outputs.get(2).getWorker().getResultsAck().getTaskIdsList());

    outbox.ackResult(7, 102);
    assertEquals(List.of(102L), outbox.drain().get(0).getWorker().getResultsAck().getTaskIdsList());
  }
}
