package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CodeUploadRequest;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.TaskCancelRequest;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jars shipped by clients: stored once by SHA-256 after the core checks the hash, bounded by
 * --max-code-bytes and the per-jar bound, named by tasks (and passed on in their assignments), and
 * kept by snapshots and replay.
 */
class CodeStoreTest {
  private static final ByteString JAR_1 = ByteString.copyFromUtf8("PK version one");
  private static final ByteString JAR_2 = ByteString.copyFromUtf8("PK version two, longer");

  private final CoreHarness h = new CoreHarness();
  private final String client = h.session("client");

  private static Call.Builder upload(String hash, ByteString jar) {
    return Call.newBuilder()
        .setCodeUpload(CodeUploadRequest.newBuilder().setSha256(hash).setJar(jar));
  }

  private static Call.Builder submit(String hash) {
    return Call.newBuilder()
        .setTaskSubmit(
            TaskSubmitRequest.newBuilder()
                .addTasks(TaskSpec.newBuilder().setTaskName("com.acme.Task").setCodeSha256(hash)));
  }

  @Test
  void storesOnceByHashAndCountsStoredBytes() {
    long before = h.core.storedBytes();
    assertTrue(
        h.call(client, upload(CodeStore.sha256(JAR_1), JAR_1)).reply().getCodeUpload().getStored());
    assertFalse(
        h.call(client, upload(CodeStore.sha256(JAR_1), JAR_1)).reply().getCodeUpload().getStored(),
        "the same jar again is stored once");
    assertEquals(before + Limits.storedSize(JAR_1.size()), h.core.storedBytes());
    assertEquals(JAR_1, h.core.codeJar(CodeStore.sha256(JAR_1)));
  }

  @Test
  void refusesAHashThatDoesNotMatch() {
    Failure failure =
        ExpectFailure.of(
            h.call(client, upload(CodeStore.sha256(JAR_2), JAR_1)),
            CoreException.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_REQUEST);
    assertTrue(
        failure.getMessage().contains("SHA-256 is " + CodeStore.sha256(JAR_1)),
        failure.getMessage());
    assertNull(h.core.codeJar(CodeStore.sha256(JAR_2)));
    ExpectFailure.of(
        h.call(client, upload("not-a-hash", JAR_1)),
        CoreException.Code.INVALID_ARGUMENT,
        ErrorReason.INVALID_REQUEST);
  }

  @Test
  void aJarAnUnfinishedTaskNames_staysAndTheNewJarIsRefused_untilTheTaskEnds() {
    CoreHarness small =
        new CoreHarness(Limits.defaults(), CoreOptions.defaults().withMaxCodeBytes(30));
    String s = small.session("client");
    small.call(s, upload(CodeStore.sha256(JAR_1), JAR_1)).reply();
    long queued =
        small.call(s, submit(CodeStore.sha256(JAR_1))).reply().getTaskSubmit().getTaskIds(0);

    Failure failure =
        ExpectFailure.of(
            small.call(s, upload(CodeStore.sha256(JAR_2), JAR_2)),
            CoreException.Code.RESOURCE_EXHAUSTED,
            ErrorReason.LIMIT_EXCEEDED);
    assertTrue(failure.getMessage().contains("--max-code-bytes"), failure.getMessage());

    small
        .call(s, Call.newBuilder().setTaskCancel(TaskCancelRequest.newBuilder().addTaskIds(queued)))
        .reply();
    assertTrue(
        small.call(s, upload(CodeStore.sha256(JAR_2), JAR_2)).reply().getCodeUpload().getStored(),
        "with its task cancelled the old jar makes room");
    assertNull(small.core.codeJar(CodeStore.sha256(JAR_1)), "evicted");
    Failure gone =
        ExpectFailure.of(
            small.call(s, submit(CodeStore.sha256(JAR_1))),
            CoreException.Code.FAILED_PRECONDITION,
            ErrorReason.CODE_NOT_FOUND);
    assertTrue(gone.getMessage().contains("evicted"), gone.getMessage());
  }

  @Test
  void theJarUnusedLongestGoesFirst() {
    ByteString a = ByteString.copyFromUtf8("PK jar a..");
    ByteString b = ByteString.copyFromUtf8("PK jar b..");
    ByteString c = ByteString.copyFromUtf8("PK jar c..");
    ByteString d = ByteString.copyFromUtf8("PK jar d, longer.");
    CoreHarness small =
        new CoreHarness(
            Limits.defaults(), CoreOptions.defaults().withMaxCodeBytes(a.size() * 3L + 5));
    String s = small.session("client");
    for (ByteString jar : List.of(a, b, c, a)) {
      small.call(s, upload(CodeStore.sha256(jar), jar)).reply();
    }

    small.call(s, upload(CodeStore.sha256(d), d)).reply();

    assertNull(
        small.core.codeJar(CodeStore.sha256(b)), "b was unused longest (a was uploaded again)");
    assertEquals(a, small.core.codeJar(CodeStore.sha256(a)));
    assertEquals(d, small.core.codeJar(CodeStore.sha256(d)));
  }

  @Test
  void aTaskNamingAnUnknownJarIsRefusedAndAKnownOneReachesTheWorker() {
    Failure failure =
        ExpectFailure.of(
            h.call(client, submit(CodeStore.sha256(JAR_1))),
            CoreException.Code.FAILED_PRECONDITION,
            ErrorReason.CODE_NOT_FOUND);
    assertTrue(failure.getMessage().contains("never uploaded"), failure.getMessage());

    List<CoordinatorFrame> frames = new ArrayList<>();
    String worker =
        h.workerJoin(
            WorkerHello.newBuilder().setName("w").setHost("h").setPid(1).setSlots(1).build(),
            frames::add);
    h.workerFrame(
        worker, WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(1)).build());
    h.call(client, upload(CodeStore.sha256(JAR_1), JAR_1)).reply();
    h.call(client, submit(CodeStore.sha256(JAR_1))).reply();
    CoordinatorFrame task = frames.get(frames.size() - 1);
    assertEquals(CodeStore.sha256(JAR_1), task.getTask().getCodeSha256());
  }

  @Test
  void snapshotsAndReplayKeepTheJars() throws Exception {
    CoreHarness again = new CoreHarness();
    for (CoreHarness each : List.of(h, again)) {
      String s = each == h ? client : each.session("client");
      each.call(s, upload(CodeStore.sha256(JAR_2), JAR_2)).reply();
      each.call(s, upload(CodeStore.sha256(JAR_1), JAR_1)).reply();
    }
    assertEquals(h.core.digest(), again.core.digest(), "the same commands give the same state");

    CoreSnapshot snapshot = h.core.snapshot();
    assertEquals(2, snapshot.getCodeJarsCount());
    assertTrue(
        snapshot.getCodeJars(0).getSha256().compareTo(snapshot.getCodeJars(1).getSha256()) < 0,
        "by hash");
    CoordinatorCore restored =
        CoordinatorCore.restore(
            h.core.limits(), h.core.options(), CoreSnapshot.parseFrom(snapshot.toByteArray()));
    assertEquals(h.core.digest(), restored.digest());
    assertEquals(h.core.storedBytes(), restored.storedBytes());
    assertEquals(JAR_2, restored.codeJar(CodeStore.sha256(JAR_2)));
    CoreHarness after = new CoreHarness(restored).continuing(h);
    after.call(client, submit(CodeStore.sha256(JAR_1))).reply();
  }
}
