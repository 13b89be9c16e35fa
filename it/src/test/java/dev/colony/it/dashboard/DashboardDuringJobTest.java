package dev.colony.it.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.JsonFormat;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import dev.colony.it.support.HeadlessChromium;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.server.ColonyServer;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser while a job runs on two workers: the page shows the
 * workers, the running and queued tasks, and then the finished count, as the coordinator has them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardDuringJobTest {
  private static final int TASKS = 6;
  private static final Duration PAGE_WAIT = Duration.ofSeconds(20);

  /** Holds its worker slot until the test opens the "gate" event, then echoes its argument. */
  public static final class WaitAtGate implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer argument, TaskContext context) throws Exception {
      context.colony().event("gate").await();
      return argument;
    }
  }

  @Test
  void page_showsTheRunningJob_asTheCoordinatorReports() throws Exception {
    ColonyServer server =
        ColonyServer.newBuilder().setHost("127.0.0.1").setPort(0).setHttpPort(0).build();
    server.start();
    String target = "127.0.0.1:" + server.port();
    List<WorkerDaemon> workers = new ArrayList<>();
    try (ColonyClient client = Colony.connect(target);
        Pool pool = client.pool();
        HeadlessChromium chromium = HeadlessChromium.start()) {
      for (int i = 0; i < 2; i++) {
        WorkerDaemon worker =
            new WorkerDaemon(
                WorkerOptions.newBuilder()
                    .setCoordinator(target)
                    .setSlots(1)
                    .addAllowedTasks("dev.colony.it.**")
                    .build());
        workers.add(worker);
        worker.start();
        worker.joined().get(20, TimeUnit.SECONDS);
      }
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        results.add(pool.applyAsync(WaitAtGate.class, i));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> server.loop().status().get().getTasks().getRunning() == 2);

      WebDriver page = chromium.driver();
      page.get("http://127.0.0.1:" + server.httpPort() + "/");
      WebDriverWait wait = new WebDriverWait(page, PAGE_WAIT);
      wait.until(ExpectedConditions.textToBe(By.id("tasks-running"), "2"));
      wait.until(ExpectedConditions.textToBe(By.id("tasks-queued"), String.valueOf(TASKS - 2)));
      StatusResponse api = apiStatus(server);
      assertEquals(String.valueOf(api.getWorkersCount()), text(page, "workers-count"));
      assertEquals(2, api.getWorkersCount());
      assertEquals(String.valueOf(api.getTasks().getRunning()), text(page, "tasks-running"));
      assertEquals(String.valueOf(api.getTasks().getQueued()), text(page, "tasks-queued"));
      assertEquals(
          2,
          page.findElements(By.cssSelector("#workers tr.worker td.busy")).stream()
              .mapToInt(cell -> Integer.parseInt(cell.getText()))
              .sum());

      client.event("gate").set();
      for (int i = 0; i < TASKS; i++) {
        assertEquals(i, results.get(i).get(20, TimeUnit.SECONDS));
      }
      wait.until(ExpectedConditions.textToBe(By.id("tasks-succeeded"), String.valueOf(TASKS)));
      wait.until(ExpectedConditions.textToBe(By.id("tasks-running"), "0"));
      assertEquals(TASKS, apiStatus(server).getTasks().getSucceeded());
    } finally {
      for (WorkerDaemon worker : workers) {
        worker.shutdownNow();
        worker.awaitTermination(20, TimeUnit.SECONDS);
      }
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String text(WebDriver page, String id) {
    return page.findElement(By.id(id)).getText();
  }

  private static StatusResponse apiStatus(ColonyServer server) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/api/status"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    StatusResponse.Builder status = StatusResponse.newBuilder();
    JsonFormat.parser().merge(response.body(), status);
    return status.build();
  }
}
