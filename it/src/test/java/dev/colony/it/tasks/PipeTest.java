package dev.colony.it.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyProcess;
import dev.colony.client.PipeEnd;
import dev.colony.client.PipeSide;
import dev.colony.it.tasks.TestTasks.Ping;
import dev.colony.it.tasks.TestTasks.PingArgs;
import dev.colony.it.tasks.TestTasks.Pong;
import java.io.EOFException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pipes between clients and between tasks. */
@Timeout(60)
class PipeTest {
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
  void pingPong_betweenTwoTasks_endsWithEof() throws Exception {
    PingArgs args = new PingArgs("ping-pong", 20);
    ColonyProcess<Integer> pong = colony.client.process(Pong.class, args);
    ColonyProcess<Long> ping = colony.client.process(Ping.class, args);
    pong.start();
    ping.start();

    assertTrue(ping.join(30, TimeUnit.SECONDS));
    assertTrue(pong.join(30, TimeUnit.SECONDS));

    assertEquals(0, ping.exitCode(), () -> String.valueOf(ping.result()));
    assertEquals(20L * 21 / 2 + 20, ping.result()); // sum of 2..21
    assertEquals(20, pong.result());
  }

  @Test
  void recv_afterOtherEndClosedAndDrained_throwsEofEveryTime() throws Exception {
    try (ColonyClient other = colony.newClient()) {
      PipeEnd<String> a = colony.client.pipe("drain", String.class, PipeSide.A);
      PipeEnd<String> b = other.pipe("drain", String.class, PipeSide.B);

      a.send("one");
      a.send("two");
      a.close();
      a.close(); // idempotent

      assertTrue(b.poll(5, TimeUnit.SECONDS));
      assertEquals("one", b.recv());
      assertEquals("two", b.recv());
      assertThrows(EOFException.class, b::recv);
      assertThrows(EOFException.class, b::recv);
      assertThrows(IllegalStateException.class, () -> a.send("three"));
    }
  }

  @Test
  void duplex_bothEndsSendAndReceive() throws Exception {
    PipeEnd<Long> a = colony.client.pipe("duplex", Long.class, PipeSide.A);
    PipeEnd<Long> b = colony.client.pipe("duplex", Long.class, PipeSide.B);

    assertFalse(b.poll(10, TimeUnit.MILLISECONDS));
    a.send(1L);
    b.send(2L);

    assertEquals(1L, b.recv());
    assertEquals(2L, a.recv());
    a.close();
    b.close();
  }

  @Test
  void oneWay_refusesTheWrongDirection() throws Exception {
    PipeEnd<String> sender = colony.client.oneWayPipe("one-way", String.class, PipeSide.A);
    PipeEnd<String> receiver = colony.client.oneWayPipe("one-way", String.class, PipeSide.B);

    assertThrows(IllegalStateException.class, () -> receiver.send("no"));
    assertThrows(IllegalStateException.class, sender::recv);
    assertThrows(IllegalStateException.class, () -> sender.poll(1, TimeUnit.MILLISECONDS));

    sender.send("yes");
    assertEquals("yes", receiver.recv());
    sender.close();
    assertThrows(EOFException.class, receiver::recv);
    receiver.close();
  }
}
