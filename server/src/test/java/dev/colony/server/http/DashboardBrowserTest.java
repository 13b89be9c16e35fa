package dev.colony.server.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.LockReleaseRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskLog;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerTaskResult;
import dev.colony.server.ColonyServer;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium: a coordinator with a queue of N items, a held lock
 * with waiters and an AB/BA deadlock, made over plain gRPC; the page must show the same numbers as
 * /api/status and the core. Needs Debian's {@code chromium} and {@code chromium-driver} (.ci/run
 * installs them); without them the test fails, it never skips.
 */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final int QUEUE_ITEMS = 5;
  private static final Duration PAGE_WAIT = Duration.ofSeconds(20);

  private ColonyServer server;
  private final List<RawClient> clients = new ArrayList<>();
  private Path profile;
  private WebDriver browser;

  /**
   * Kept so the level holds: Selenium warns that it has no CDP bindings, which it does not need.
   */
  private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

  @BeforeAll
  static void browserIsInstalled() {
    SELENIUM_LOG.setLevel(Level.SEVERE);
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the dashboard test needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + "; install them with: apt-get update && apt-get install -y chromium chromium-driver"
            + " (.ci/run does this when chromium is missing)");
  }

  @BeforeEach
  void start() throws IOException {
    server = ColonyServer.newBuilder().setHost("127.0.0.1").setPort(0).setHttpPort(0).build();
    server.start();
    profile = Files.createTempDirectory("colony-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
      for (RawClient client : clients) {
        client.close();
      }
      server.shutdownNow();
      assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    } finally {
      deleteTree(profile);
    }
  }

  private RawClient client(String name) {
    RawClient client = new RawClient(server.port(), name);
    clients.add(client);
    return client;
  }

  @Test
  void page_showsQueueLengthLockHolderWaitersAndDeadlock_asTheCoordinatorReports()
      throws Exception {
    RawClient owner = client("owner");
    RawClient waiter1 = client("waiter-1");
    RawClient waiter2 = client("waiter-2");
    owner.create("jobs", ObjectType.QUEUE);
    for (int i = 0; i < QUEUE_ITEMS; i++) {
      owner.put("jobs", "job-" + i);
    }
    owner.create("printer", ObjectType.LOCK);
    owner.execute(RawClient.acquire("printer", 7));
    CompletableFuture<?> firstWaiter = waiter1.start(RawClient.acquire("printer", 1));
    awaitCore(status -> find(status, "printer").getWaiters() == 1); // FIFO: waiter-1 is next
    CompletableFuture<?> secondWaiter = waiter2.start(RawClient.acquire("printer", 1));
    // AB/BA between two more sessions.
    RawClient left = client("left");
    RawClient right = client("right");
    owner.create("a", ObjectType.LOCK);
    owner.create("b", ObjectType.LOCK);
    left.execute(RawClient.acquire("a", 1));
    right.execute(RawClient.acquire("b", 1));
    left.start(RawClient.acquire("b", 1));
    awaitCore(status -> find(status, "b").getWaiters() == 1);
    right.start(RawClient.acquire("a", 1)); // closes the cycle, so its edge is listed first
    awaitCore(
        status -> find(status, "printer").getWaiters() == 2 && status.getDeadlocksCount() == 1);

    browser.get("http://127.0.0.1:" + server.httpPort() + "/");
    WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("tr.queue[data-name='jobs'] td.size"), String.valueOf(QUEUE_ITEMS)));
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("tr.lock[data-name='printer'] td.waiters"), "2"));
    wait.until(ExpectedConditions.textToBe(By.id("deadlock-count"), "1"));

    StatusResponse api = apiStatus();
    StatusResponse core = server.loop().status().get(5, TimeUnit.SECONDS);
    ObjectInfo jobs = find(api, "jobs");
    ObjectInfo printer = find(api, "printer");
    assertEquals(find(core, "jobs"), jobs);
    assertEquals(find(core, "printer"), printer);
    assertEquals(QUEUE_ITEMS, jobs.getSize());
    assertEquals(2, printer.getWaiters());

    assertEquals(String.valueOf(jobs.getSize()), text("tr.queue[data-name='jobs'] td.size"));
    assertEquals(
        String.valueOf(printer.getWaiters()), text("tr.lock[data-name='printer'] td.waiters"));
    Owner holder = printer.getHolders(0);
    assertEquals(owner.sessionLabel, holder.getSessionLabel());
    String holderText = text("tr.lock[data-name='printer'] td.holders");
    assertTrue(
        holderText.contains("session " + holder.getSessionLabel())
            && !holderText.contains(owner.sessionId)
            && holderText.contains("thread 7")
            && holderText.contains("owner on test-host pid " + holder.getPid()),
        holderText);
    assertEquals(String.valueOf(api.getSessions()), text("#sessions"));
    assertEquals(String.valueOf(api.getObjectsCount()), text("#objects-count"));

    // The deadlock is drawn, and its locks are highlighted in the lock table.
    List<String> edges = texts("#deadlocks .deadlock li.edge");
    assertEquals(2, edges.size());
    assertTrue(edges.get(0).contains("waits for 'a'"), edges.get(0));
    assertTrue(classOf("tr.lock[data-name='a']").contains("deadlocked"));
    assertFalse(classOf("tr.lock[data-name='printer']").contains("deadlocked"));
    assertFalse(firstWaiter.isDone() || secondWaiter.isDone());

    // The page follows changes: the owner releases, the first waiter gets the lock.
    owner.execute(
        Call.newBuilder()
            .setLockRelease(LockReleaseRequest.newBuilder().setName("printer").setThreadId(7)));
    firstWaiter.get(10, TimeUnit.SECONDS);
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("tr.lock[data-name='printer'] td.waiters"), "1"));
    String newHolder = text("tr.lock[data-name='printer'] td.holders");
    assertTrue(newHolder.contains("waiter-1 on test-host"), newHolder);
  }

  // The page re-renders on every poll, so an element found in one call may be gone in the next:
  // each read below is one script run, which the page cannot interleave with a re-render.

  private String text(String css) {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript("return document.querySelector(arguments[0]).innerText.trim();", css);
  }

  @SuppressWarnings("unchecked")
  private List<String> texts(String css) {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText.trim());",
                css);
  }

  private String classOf(String css) {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript("return document.querySelector(arguments[0]).className;", css);
  }

  private StatusResponse apiStatus() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/api/status"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    StatusResponse.Builder status = StatusResponse.newBuilder();
    JsonFormat.parser().merge(response.body(), status);
    return status.build();
  }

  private static ObjectInfo find(StatusResponse status, String name) {
    return status.getObjectsList().stream()
        .filter(info -> info.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no object " + name + " in " + status));
  }

  @Test
  void page_showsATasksLogInItsRowAndItsFailure_asTextNotHtml() throws Exception {
    RawClient submitter = client("submitter");
    BlockingQueue<CoordinatorFrame> toWorker = new LinkedBlockingQueue<>();
    StreamObserver<WorkerFrame> worker =
        submitter.work(
            new StreamObserver<>() {
              @Override
              public void onNext(CoordinatorFrame frame) {
                toWorker.add(frame);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    worker.onNext(
        WorkerFrame.newBuilder()
            .setHello(
                WorkerHello.newBuilder().setName("raw").setHost("box").setPid(4242).setSlots(1))
            .build());
    worker.onNext(
        WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(1)).build());
    long id =
        submitter
            .execute(
                Call.newBuilder()
                    .setTaskSubmit(
                        TaskSubmitRequest.newBuilder()
                            .addTasks(
                                TaskSpec.newBuilder()
                                    .setTaskName("acme.Resize")
                                    .setDisplayName("resize"))))
            .getTaskSubmit()
            .getTaskIds(0);
    TaskAssignment task = null;
    while (task == null) {
      CoordinatorFrame frame = toWorker.poll(10, TimeUnit.SECONDS);
      assertTrue(frame != null, "the raw worker got no task");
      task = frame.hasTask() ? frame.getTask() : null;
    }
    List<String> lines =
        List.of("INFO resizing <b>cat</b>.jpg", "WARN <script>window.pwned = 1</script> & more");
    worker.onNext(
        WorkerFrame.newBuilder()
            .setResult(
                WorkerTaskResult.newBuilder()
                    .setTaskId(id)
                    .setAttempt(task.getAttempt())
                    .setError(
                        RemoteError.newBuilder()
                            .setClassName("java.lang.IllegalStateException")
                            .setMessage("cannot resize"))
                    .setLog(TaskLog.newBuilder().addAllLines(lines)))
            .build());
    awaitCore(status -> status.getRecentFailuresCount() == 1);

    browser.get("http://127.0.0.1:" + server.httpPort() + "/");
    WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);
    By failureLog = By.cssSelector("details.failure[data-task='" + id + "'] pre.log");
    By taskLog = By.cssSelector("tr.task[data-task='" + id + "'] pre.log");
    wait.until(ExpectedConditions.presenceOfElementLocated(failureLog));
    wait.until(ExpectedConditions.presenceOfElementLocated(taskLog));

    String expected = String.join("\n", lines);
    assertEquals(expected, browser.findElement(failureLog).getAttribute("textContent"));
    assertEquals(expected, browser.findElement(taskLog).getAttribute("textContent"));
    assertEquals(0, browser.findElements(By.cssSelector("pre.log *")).size(), "no markup made");
    assertEquals(
        null,
        ((JavascriptExecutor) browser).executeScript("return window.pwned;"),
        "no script ran");
    worker.onCompleted();
  }

  private void awaitCore(Predicate<StatusResponse> condition) throws Exception {
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> condition.test(server.loop().status().get(5, TimeUnit.SECONDS)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "the coordinator never reached the expected state; it is now:\n"
              + server.loop().status().get(5, TimeUnit.SECONDS),
          e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
