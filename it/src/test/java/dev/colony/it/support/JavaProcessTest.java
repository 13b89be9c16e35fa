package dev.colony.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colony.it.apps.EchoApp;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void childJvm_receivesArgsAndStdinAndItsStdoutIsCaptured() throws Exception {
    try (JavaProcess echo = JavaProcess.start("echo", EchoApp.class, "a", "b")) {
      assertEquals("ARGS a b", echo.awaitLineStartingWith("ARGS", WAIT));
      echo.send("hello");
      assertEquals("ECHO hello", echo.awaitLineStartingWith("ECHO", WAIT));
      echo.send("exit");
      assertEquals(0, echo.waitFor(WAIT));
    }
  }

  @Test
  void kill_endsTheChildAndAwaitLineStopsWaiting() throws Exception {
    try (JavaProcess echo = JavaProcess.start("echo", EchoApp.class)) {
      echo.awaitLineStartingWith("ARGS", WAIT);
      echo.kill();
      assertFalse(echo.isAlive());
      assertThrows(TimeoutException.class, () -> echo.awaitLineStartingWith("NEVER", WAIT));
    }
  }
}
