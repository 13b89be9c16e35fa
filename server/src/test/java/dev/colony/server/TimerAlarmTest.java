package dev.colony.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TimerAlarmTest {

  @Test
  void wakeAt_callsTheTickOnTheColonyTimerThread() throws InterruptedException {
    CountDownLatch ticked = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    try (TimerAlarm alarm = new TimerAlarm()) {
      alarm.wakeAt(
          1_020,
          1_000,
          () -> {
            thread.set(Thread.currentThread().getName());
            ticked.countDown();
          });

      assertTrue(ticked.await(5, TimeUnit.SECONDS));
      assertEquals("colony-timer", thread.get());
    }
  }

  @Test
  void wakeAt_anEarlierDeadline_replacesTheLaterOne() throws InterruptedException {
    CountDownLatch early = new CountDownLatch(1);
    CountDownLatch late = new CountDownLatch(1);
    try (TimerAlarm alarm = new TimerAlarm()) {
      alarm.wakeAt(1_000 + 60_000, 1_000, late::countDown);
      alarm.wakeAt(1_000 + 10, 1_000, early::countDown);

      assertTrue(early.await(5, TimeUnit.SECONDS));
      assertEquals(0, alarm.pendingWakeUps(), "the 60 s wake-up must have been cancelled");
    }
  }
}
