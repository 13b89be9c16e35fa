package dev.colony.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.server.ColonyServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real CPython client (python3 on the PATH) against a front door on a real coordinator. */
@Timeout(120)
class PythonFrontDoorTest {
  private static final String KEY = "s3cret-key";

  @TempDir Path dir;
  private ColonyServer server;
  private PythonFrontDoor door;
  private ColonyClient colony;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = ColonyServer.forAddress("127.0.0.1", 0).start();
    ColonyOptions options =
        ColonyOptions.newBuilder().setTarget("127.0.0.1:" + server.port()).build();
    door =
        new PythonFrontDoor(options, "127.0.0.1", 0, KEY.getBytes(StandardCharsets.UTF_8), 64)
            .start();
    colony = Colony.connect(options);
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (colony != null) {
      colony.close();
    }
    if (door != null) {
      door.close();
    }
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static final String PRELUDE =
      """
      import sys, os, queue, struct, time
      from multiprocessing.managers import (AcquirerProxy, BarrierProxy, BaseManager, ConditionProxy,
          DictProxy, EventProxy, ListProxy, NamespaceProxy, SyncManager, ValueProxy)
      import threading
      PORT = int(sys.argv[1]); KEY = sys.argv[2].encode()
      class ColonyManager(BaseManager): pass
      ColonyManager.register("get_queue")
      ColonyManager.register("get_dict", proxytype=DictProxy)
      ColonyManager.register("get_lock", proxytype=AcquirerProxy)
      ColonyManager.register("get_value", proxytype=ValueProxy)
      ColonyManager.register("get_semaphore", proxytype=AcquirerProxy)
      ColonyManager.register("get_bounded_semaphore", proxytype=AcquirerProxy)
      ColonyManager.register("get_condition", proxytype=ConditionProxy)
      ColonyManager.register("get_event", proxytype=EventProxy)
      ColonyManager.register("get_barrier", proxytype=BarrierProxy)
      ColonyManager.register("get_list", proxytype=ListProxy)
      ColonyManager.register("get_namespace", proxytype=NamespaceProxy)
      def connect():
          m = ColonyManager(address=("127.0.0.1", PORT), authkey=KEY); m.connect(); return m
      """;

  private Process startPython(String python, String script, String key) throws IOException {
    Path file = Files.createTempFile(dir, "script", ".py");
    Files.writeString(file, PRELUDE + script);
    Process p =
        new ProcessBuilder(python, file.toString(), String.valueOf(door.port()), key)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    processes.add(p);
    return p;
  }

  /** Runs a script to its end; returns its output, failing with it if the exit code is not 0. */
  private String runPython(String script) throws Exception {
    return runPython("python3", script, KEY);
  }

  private String runPython(String python, String script, String key) throws Exception {
    Process p = startPython(python, script, key);
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
    String output = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), () -> "python failed:\n" + output);
    return output;
  }

  @Test
  void snippet_runsUnmodified_andJavaSeesTheSameObjects() throws Exception {
    String out =
        runPython(
            """
            m = ColonyManager(address=("127.0.0.1", PORT), authkey=KEY); m.connect()
            jobs = m.get_queue("jobs")
            jobs.put("resize photo 17")
            d = m.get_dict("config")
            d["color"] = "blue"
            d.update({"size": 3})
            lock = m.get_lock("tickets")
            sold = m.get_value("sold")
            with lock:
                sold.value += 5
            assert d["color"] == "blue" and len(d) == 2 and "size" in d
            try:
                d["missing"]; raise SystemExit("no KeyError")
            except KeyError:
                pass
            try:
                m.get_queue("empty").get(timeout=0.1); raise SystemExit("no Empty")
            except queue.Empty:
                pass
            print("sold", sold.value, "size", jobs.qsize())
            """);

    assertTrue(out.contains("sold 5 size 1"), out);
    assertEquals("resize photo 17", colony.queue("jobs", String.class).poll(10, TimeUnit.SECONDS));
    assertEquals("blue", colony.map("config", String.class, String.class).get("color"));
    assertEquals(3L, colony.map("config", String.class, Long.class).get("size"));
    assertEquals(5L, colony.atomicLong("sold").get());
  }

  @Test
  void pythonProducer_javaConsumer_shareAQueue_withEveryPlainType() throws Exception {
    runPython(
        """
        m = ColonyManager(address=("127.0.0.1", PORT), authkey=KEY); m.connect()
        q = m.get_queue("mixed")
        for i in range(100):
            q.put("job %d" % i)
        for v in (42, 2.5, b"\\x00\\xff", True, None, [1, "a", (2, 3)], {"k": [1, None]}):
            q.put(v)
        """);

    var strings = colony.queue("mixed", String.class);
    for (int i = 0; i < 100; i++) {
      assertEquals("job " + i, strings.poll(10, TimeUnit.SECONDS));
    }
    var any = colony.queue("mixed", Object.class);
    assertEquals(42L, any.poll(10, TimeUnit.SECONDS));
    assertEquals(2.5, any.poll(10, TimeUnit.SECONDS));
    assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) any.poll(10, TimeUnit.SECONDS));
    assertEquals(true, any.poll(10, TimeUnit.SECONDS));
    assertTrue(((JsonNode) any.poll(10, TimeUnit.SECONDS)).isNull());
    assertEquals("[1,\"a\",[2,3]]", any.poll(10, TimeUnit.SECONDS).toString());
    assertEquals("{\"k\":[1,null]}", any.poll(10, TimeUnit.SECONDS).toString());
  }

  @Test
  void syncManager_anonymousAndNamedTypes() throws Exception {
    String out =
        runPython(
            """
            s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY); s.connect()
            q = s.Queue(2)
            q.put(1); q.put(2)
            try:
                q.put(3, timeout=0.1); raise SystemExit("no Full")
            except queue.Full:
                pass
            assert q.full() and q.qsize() == 2 and q.get() == 1 and q.get_nowait() == 2
            try:
                q.get(timeout=0.1); raise SystemExit("no Empty")
            except queue.Empty:
                pass
            lock, rlock = s.Lock(), s.RLock()
            with lock:
                assert not lock.acquire(False)
            with rlock:
                with rlock:
                    pass
            try:
                lock.release(); raise SystemExit("released an unlocked lock")
            except RuntimeError:
                pass
            v = s.Value("d", 1.5)
            with lock:
                v.value += 1
            assert v.value == 2.5
            d = s.dict(name="config")
            d["mode"] = "fast"
            anon = s.dict({"a": 1})
            assert anon.copy() == {"a": 1}
            print("objects", s._number_of_objects() if hasattr(s, "_number_of_objects") else "?")
            print("ok")
            """);
    assertTrue(out.contains("ok"), out);
    assertEquals("fast", colony.map("config", String.class, String.class).get("mode"));
  }

  @Test
  void javaProducer_pythonConsumer() throws Exception {
    var jobs = colony.queue("to-python", String.class);
    jobs.put("one");
    colony.queue("to-python", Long.class).put(2L);
    String out =
        runPython(
            """
            m = ColonyManager(address=("127.0.0.1", PORT), authkey=KEY); m.connect()
            q = m.get_queue("to-python")
            print(repr(q.get(timeout=10)), repr(q.get(timeout=10)))
            try:
                q.get_nowait(); raise SystemExit("no Empty")
            except queue.Empty:
                print("empty")
            """);
    assertTrue(out.contains("'one' 2\nempty"), out);
  }

  @Test
  void pythonProcessKilledHoldingALock_javaWaiterGetsItWithAHigherFencingToken() throws Exception {
    ColonyLock lock = colony.lock("box");
    lock.lock();
    long before = lock.fencingToken();
    lock.unlock();
    Process holder =
        startPython(
            "python3",
            """
            m = ColonyManager(address=("127.0.0.1", PORT), authkey=KEY); m.connect()
            lock = m.get_lock("box")
            lock.acquire()
            print("held", flush=True)
            time.sleep(600)
            """,
            KEY);
    String line = new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
    assertEquals("held\n", line, "the python holder did not take the lock");
    assertFalse(lock.tryLock(), "the lock should be held by python");

    holder.destroyForcibly();

    assertTrue(lock.tryLock(30, TimeUnit.SECONDS), "the lock was not released");
    assertTrue(lock.fencingToken() >= before + 2, "the fencing token did not pass python's");
    lock.unlock();
  }

  /**
   * Python 3.12+ answers the challenge with {@code {sha256}} and an HMAC-SHA256, and challenges the
   * server the same way (3.11, the tests' python3, answers with the legacy HMAC-MD5). This script
   * speaks 3.12's handshake, as its multiprocessing/connection.py does, over a plain socket.
   */
  @Test
  void sha256Handshake_ofPython312_isAnsweredInKind_andAWrongDigestIsRefused() throws Exception {
    String out =
        runPython(
            """
            import hmac, socket
            def exchange(key):
                s = socket.create_connection(("127.0.0.1", PORT))
                def send(b): s.sendall(struct.pack("!i", len(b)) + b)
                def recv_exact(n):
                    data = b""
                    while len(data) < n:
                        chunk = s.recv(n - len(data))
                        if not chunk: raise EOFError("the server closed the connection")
                        data += chunk
                    return data
                def recv(): return recv_exact(struct.unpack("!i", recv_exact(4))[0])
                challenge = recv()
                assert challenge.startswith(b"#CHALLENGE#{sha256}"), challenge
                message = challenge[len(b"#CHALLENGE#"):]
                send(b"{sha256}" + hmac.new(key, message, "sha256").digest())
                verdict = recv()
                if verdict != b"#WELCOME#":
                    return verdict
                mine = b"{sha256}" + os.urandom(40)
                send(b"#CHALLENGE#" + mine)
                answer = recv()
                assert answer == b"{sha256}" + hmac.new(KEY, mine, "sha256").digest(), answer
                send(b"#WELCOME#")
                s.close()
                return verdict
            print(exchange(KEY).decode(), exchange(b"not the key").decode())
            """);
    assertEquals("#WELCOME# #FAILURE#", out.strip());
  }

  @Test
  void wrongAuthkey_isAuthenticationError() throws Exception {
    String out =
        runPython(
            "python3",
            """
            from multiprocessing import AuthenticationError
            m = ColonyManager(address=("127.0.0.1", PORT), authkey=KEY)
            try:
                m.connect(); raise SystemExit("connected with a wrong key")
            except AuthenticationError as e:
                print("refused", e)
            """,
            "wrong-key");
    assertTrue(out.contains("refused"), out);
    assertEquals(0, door.anonymousObjects());
  }

  @Test
  void maliciousPickles_areRefused_nothingRuns_andTheNextClientIsServed() throws Exception {
    Path marker = dir.resolve("pwned");
    String out =
        runPython(
            """
            import pickle, socket
            from multiprocessing.connection import Client
            MARKER = %s
            class Evil:
                def __reduce__(self):
                    return (os.system, ("touch " + MARKER,))
            payloads = {
                "reduce": pickle.dumps((None, "create", (Evil(),), {})),
                "global-eval": b"cbuiltins\\neval\\n(V__import__('os').system('touch %s')\\ntR.",
                "nested-reduce": pickle.dumps((None, "dummy", ([1, {"x": Evil()}],), {})),
                # RebuildProxy and Token are the names a proxy argument uses: no other callable
                # gets through them.
                "rebuild-proxy-of-system": b"(NVcreate\\n(cmultiprocessing.managers\\nRebuildProxy\\n"
                    b"(cposix\\nsystem\\nVtouch %s\\nVpickle\\n(dtRtt(dt.",
            }
            for name, payload in payloads.items():
                c = Client(("127.0.0.1", PORT), authkey=KEY)
                c.send_bytes(payload)
                try:
                    kind, result = c.recv()
                    assert kind == "#TRACEBACK" and "refused" in result, (kind, result)
                    print(name, "refused:", result.splitlines()[0])
                except EOFError:
                    print(name, "closed")
                try:
                    c.recv(); raise SystemExit(name + ": connection still open")
                except (EOFError, ConnectionError):
                    pass
            # A huge length prefix: refused before anything is allocated for it.
            c = Client(("127.0.0.1", PORT), authkey=KEY)
            c._send(struct.pack("!i", -1) + struct.pack("!Q", 1 << 62))
            try:
                print("huge:", c.recv()[0])
            except EOFError:
                print("huge: closed")
            # A truncated frame, then the client goes away.
            c = Client(("127.0.0.1", PORT), authkey=KEY)
            c._send(struct.pack("!i", 1000) + b"\\x80\\x04")
            c.close()
            # A truncated pickle inside a whole frame.
            c = Client(("127.0.0.1", PORT), authkey=KEY)
            c.send_bytes(pickle.dumps((None, "dummy", ("x" * 100,), {}))[:30])
            try:
                print("truncated:", c.recv()[0])
            except EOFError:
                print("truncated: closed")
            m = ColonyManager(address=("127.0.0.1", PORT), authkey=KEY); m.connect()
            m.get_queue("after").put("still serving")
            print("served")
            """
                .formatted("'" + marker + "'", marker, marker));

    assertTrue(out.contains("served"), out);
    assertFalse(Files.exists(marker), "a pickle ran code:\n" + out);
    assertEquals("still serving", colony.queue("after", String.class).poll(10, TimeUnit.SECONDS));
    assertNotNull(out);
  }

  /** Reads one line of a child's output; the class timeout bounds the wait. */
  private static String readLine(Process p) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = p.getInputStream().read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }

  private static String output(Process p) {
    try {
      p.waitFor(10, TimeUnit.SECONDS);
      return new String(p.getInputStream().readNBytes(10_000), StandardCharsets.UTF_8);
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }

  private static String finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish:\n" + out);
    assertEquals(0, p.exitValue(), () -> "python failed:\n" + out);
    return out;
  }

  @Test
  void syncManager_remainingTypes_behaveAsPythonsOwn() throws Exception {
    String out =
        runPython(
            """
            s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY); s.connect()
            sem = s.Semaphore(2)
            assert sem.acquire() and sem.acquire(timeout=1) and not sem.acquire(False)
            assert not sem.acquire(timeout=0.05)
            sem.release(); sem.release()
            with sem:
                pass
            b = s.BoundedSemaphore(1)
            with b:
                pass
            try:
                b.release(); raise SystemExit("over-released a BoundedSemaphore")
            except ValueError as e:
                print("bounded:", e)
            e = s.Event()
            assert not e.is_set() and e.wait(0.05) is False
            e.set(); assert e.is_set() and e.wait() and e.wait(1)
            e.clear(); assert not e.is_set()
            c = s.Condition()
            with c:
                assert c.wait(0.05) is False
                c.notify(); c.notify_all()
                assert c.wait_for(lambda: True)
            try:
                c.notify(); raise SystemExit("notified without the lock")
            except RuntimeError:
                pass
            bar = s.Barrier(1)
            assert bar.wait() == 0 and bar.parties == 1 and bar.n_waiting == 0 and not bar.broken
            bar.abort(); assert bar.broken
            try:
                bar.wait(); raise SystemExit("waited on a broken barrier")
            except threading.BrokenBarrierError:
                pass
            bar.reset(); assert bar.wait(timeout=1) == 0
            l = s.list([1, "two"])
            l.append(3.5); l.extend([4, 5]); l.insert(0, "zero"); l += [6]
            assert len(l) == 7 and l[0] == "zero" and l[-1] == 6 and 3.5 in l
            l[1] = 10; del l[2]
            assert l.pop() == 6 and l.pop(0) == "zero" and l.index(4) == 2 and l.count(5) == 1
            assert list(l) == [10, 3.5, 4, 5] and l[0] == 10
            assert l + [1] == [10, 3.5, 4, 5, 1] and l * 2 == [10, 3.5, 4, 5] * 2
            try:
                l[10]; raise SystemExit("no IndexError")
            except IndexError:
                pass
            ns = s.Namespace(x=1)
            ns.y = "why"; ns.x += 1
            assert ns.x == 2 and ns.y == "why"
            del ns.y
            try:
                ns.y; raise SystemExit("no AttributeError")
            except AttributeError:
                pass
            named = s.list(name="shared-list"); named.append("from python")
            s.Namespace(name="settings").mode = "fast"
            print("ok")
            """);
    assertTrue(out.contains("bounded: Semaphore released too many times"), out);
    assertTrue(out.contains("ok"), out);
    assertEquals(List.of("from python"), colony.list("shared-list", String.class));
    assertEquals("fast", colony.map("settings", String.class, String.class).get("mode"));
  }

  /** Calls f, which must raise exc; returns the message. */
  private static final String RAISES =
      """
      def raises(exc, f):
          try:
              f()
          except exc as e:
              return str(e)
          raise SystemExit("no %s from %r" % (exc.__name__, f))
      s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY); s.connect()
      """;

  @Test
  void listProxy_slicesAndWholeListMethods_matchAPythonList_errorsKeepTheConnection()
      throws Exception {
    String out =
        runPython(
            RAISES
                + """
                start = [5, 1, 4, 2, 3, 1, 7, 6]
                l = s.list(start); ref = list(start)
                for sl in [slice(1, 3), slice(None, None, 2), slice(None, None, -1), slice(-2, None),
                           slice(10, 20), slice(6, 1, -2), slice(-100, 2), slice(3)]:
                    assert l[sl] == ref[sl], (sl, l[sl], ref[sl])
                steps = ["x[1:3] = [9, 8, 7]", "x[::2] = [0] * len(x[::2])", "del x[1:3]",
                         "del x[::3]", "x[2:2] = (11, 12)", "x.extend([3, 1, 2])", "x += [6, 5]",
                         "x.insert(1, 42)", "x.insert(-1, 43)", "x.insert(100, 44)", "x.remove(1)",
                         "x.reverse()", "x.sort()", "x.sort(reverse=True)", "x.pop(1)", "x.pop()",
                         "x.pop(-2)", "x *= 2", "x[-3:] = []", "x[::-3] = ['a'] * len(x[::-3])",
                         "x[1] = 'z'", "del x[0]", "x[:] = [2.5, 1, 3]", "x.sort()"]
                for step in steps:
                    exec(step, {"x": l}); exec(step, {"x": ref})
                    assert l[:] == ref, (step, l[:], ref)
                assert l.index(3) == ref.index(3) and l.count(1) == 1 and 2.5 in l
                l.extend([1, 3]); ref.extend([1, 3])
                assert l.index(3, 3) == ref.index(3, 3), (l[:], ref)
                assert list(reversed(l)) == list(reversed(ref))
                print("IndexError:", raises(IndexError, lambda: l[100]))
                raises(IndexError, lambda: l.pop(100))
                raises(IndexError, lambda: s.list().pop())
                print("ValueError:", raises(ValueError, lambda: l.remove("absent")))
                raises(ValueError, lambda: l.index("absent"))
                raises(ValueError, lambda: l.index(3, 0, 2))
                print("ValueError:", raises(ValueError, lambda: l.__setitem__(slice(None, None, 2), [1])))
                raises(ValueError, lambda: l[::0])
                raises(TypeError, lambda: l["x"])
                print("TypeError:", raises(TypeError, lambda: l.sort(key=len)))
                raises(TypeError, lambda: l.sort(cmp=1))
                l.append("str"); ref.append("str")
                print("TypeError:", raises(TypeError, lambda: l.sort()))
                assert l[:] == ref and l[-1] == "str" and len(l) == len(ref)
                print("served")
                """);
    assertTrue(out.contains("served"), out);
    assertTrue(out.contains("TypeError: sort(key=...) is refused"), out);
    assertTrue(out.contains("not supported between instances of 'str' and"), out);
  }

  @Test
  void proxiesAsArguments_conditionOverAGivenLock_andAProxyIsNoValue() throws Exception {
    String out =
        runPython(
            RAISES
                + """
                before = s._number_of_objects()
                lock = s.Lock()
                c = s.Condition(lock)
                with c:
                    assert not lock.acquire(False), "the Condition is not over the given lock"
                assert lock.acquire(False); lock.release()
                ready, got = threading.Event(), []
                def waiter():
                    with c:
                        ready.set()
                        got.append(c.wait(timeout=30))
                t = threading.Thread(target=waiter); t.start()
                assert ready.wait(30)
                with c:
                    c.notify()
                t.join(30); assert got == [True], got
                c2 = s.Condition(lock=s.RLock())  # the RLock proxy is dropped at once
                with c2:
                    with c2:
                        assert not c2.wait(timeout=0.05)
                print("TypeError:", raises(TypeError, lambda: s.Condition(s.Queue())))
                raises(TypeError, lambda: s.Condition(5))
                q = s.Queue()
                print("TypeError:", raises(TypeError, lambda: q.put(lock)))
                raises(TypeError, lambda: q.put([1, {"lock": lock}]))
                q.put("after"); assert q.get(timeout=10) == "after"
                del c, c2, lock, q, t
                import gc; gc.collect()
                assert s._number_of_objects() == before, s._debug_info()
                print("served")
                """);
    assertTrue(out.contains("served"), out);
    assertTrue(out.contains("must be a Lock or RLock of this manager, not a Queue"), out);
    assertTrue(out.contains("a proxy (Lock lock/py."), out);
  }

  @Test
  void refusedTypesAndCallables_arriveAsPythonExceptions_andTheManagerKeepsServing()
      throws Exception {
    String out =
        runPython(
            RAISES
                + """
                q = s.Queue()
                b = s.Barrier(2, timeout=0.2)
                assert b.parties == 2
                t0 = time.monotonic()
                raises(threading.BrokenBarrierError, b.wait)
                assert time.monotonic() - t0 < 10
                print("TypeError:", raises(TypeError, lambda: s.Barrier(2, action=print)))
                print("NotImplementedError:", raises(NotImplementedError, lambda: s.Pool(2)))
                print("NotImplementedError:", raises(NotImplementedError, lambda: s.Array("i", [1, 2])))
                class Custom(SyncManager): pass
                Custom.register("Thing")
                c = Custom(address=("127.0.0.1", PORT), authkey=KEY); c.connect()
                print("ValueError:", raises(ValueError, c.Thing))
                q.put("still"); assert q.get(timeout=10) == "still"
                assert s.list([1])[0] == 1
                print("served")
                """);
    assertTrue(out.contains("served"), out);
    assertTrue(out.contains("TypeError: Barrier(action=...) is refused"), out);
    assertTrue(out.contains("Java Pool API") && out.contains("colony submit"), out);
    assertTrue(out.contains("Colony serves no Array"), out);
    assertTrue(out.contains("Colony serves no type id Thing"), out);
  }

  @Test
  void namedTypes_areTheJavaObjectsOfThatName() throws Exception {
    colony.semaphore("slots", 3);
    colony.list("names", String.class).add("from java");
    Process waiter =
        startPython(
            "python3",
            """
            m = connect()
            sem = m.get_semaphore("slots", 3)
            assert sem.acquire(False) and sem.acquire(False) and sem.acquire(False)
            assert not sem.acquire(False)
            sem.release(); sem.release(); sem.release()
            try:
                m.get_bounded_semaphore("one", 1).release(); raise SystemExit("no ValueError")
            except ValueError:
                pass
            names = m.get_list("names"); names.append("from python")
            ns = m.get_namespace("cfg"); ns.color = "blue"
            go = m.get_event("go")
            print("waiting", flush=True)
            print("go", go.wait(60), flush=True)
            """,
            KEY);
    String first = readLine(waiter);
    assertEquals(
        "waiting",
        first,
        () -> "the python waiter did not start: " + first + "\n" + output(waiter));
    colony.event("go").set();
    String out = finish(waiter);
    assertTrue(out.contains("go True"), out);
    assertEquals(3, colony.semaphore("slots", 3).availablePermits());
    assertEquals(List.of("from java", "from python"), colony.list("names", String.class));
    assertEquals("blue", colony.map("cfg", String.class, String.class).get("color"));
  }

  @Test
  void condition_waitAndNotify_betweenTwoPythonProcesses() throws Exception {
    Process waiter =
        startPython(
            "python3",
            """
            m = connect()
            c = m.get_condition("turn")
            with c:
                print("waiting", flush=True)
                woken = c.wait(timeout=60)
                print("woken", woken, flush=True)
            state = m.get_dict("state")
            with c:
                print("predicate", c.wait_for(lambda: state.get("ready"), timeout=60), flush=True)
            """,
            KEY);
    assertEquals("waiting", readLine(waiter), "the python waiter did not start");
    runPython(
        """
        m = connect()
        c = m.get_condition("turn")
        with c:
            c.notify()
        """);
    assertEquals("woken True", readLine(waiter), "the waiter was not notified");
    runPython(
        """
        m = connect()
        c = m.get_condition("turn")
        with c:
            m.get_dict("state")["ready"] = True
            c.notify_all()
        """);
    String out = finish(waiter);
    assertTrue(out.contains("predicate True"), out);
  }

  @Test
  void barrier_twoPythonProcesses_getDistinctIndexes() throws Exception {
    String script =
        """
        m = connect()
        print("index", m.get_barrier("meet", 2).wait(timeout=60))
        """;
    Process a = startPython("python3", script, KEY);
    Process b = startPython("python3", script, KEY);
    String out = finish(a) + finish(b);
    assertTrue(out.contains("index 0") && out.contains("index 1"), out);
  }

  @Test
  void ticketSales_pythonAndJava_underOneLock_sellExactly400() throws Exception {
    Process seller =
        startPython(
            "python3",
            """
            m = connect()
            lock, sold = m.get_lock("tickets"), m.get_value("sold")
            for _ in range(200):
                with lock:
                    sold.value = sold.value + 1
            """,
            KEY);
    ColonyLock lock = colony.lock("tickets");
    var sold = colony.value("sold", Long.class);
    for (int i = 0; i < 200; i++) {
      lock.lock();
      try {
        sold.set(sold.get() + 1);
      } finally {
        lock.unlock();
      }
    }
    finish(seller);
    assertEquals(400L, sold.get());
  }

  private List<String> anonymousObjectsOnTheCoordinator() throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      return AdminServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance())
          .getObjectsList()
          .stream()
          .map(ObjectInfo::getName)
          .filter(name -> name.startsWith("py."))
          .sorted()
          .toList();
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anonymousObjectsOfEveryNewType_areDeletedWhenPythonDropsThem() throws Exception {
    Process p =
        startPython(
            "python3",
            """
            s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY); s.connect()
            objs = [s.Condition(), s.Barrier(2), s.list([1]), s.Namespace(a=1), s.Semaphore(),
                    s.BoundedSemaphore(), s.Event()]
            with objs[0]:
                objs[0].notify()
            print("created", flush=True)
            sys.stdin.readline()
            del objs
            print("dropped", flush=True)
            sys.stdin.readline()
            """,
            KEY);
    assertEquals("created", readLine(p), "the python script did not create its objects");
    List<String> created = anonymousObjectsOnTheCoordinator();
    assertTrue(created.size() >= 7, () -> "anonymous objects: " + created);
    p.getOutputStream().write('\n');
    p.getOutputStream().flush();
    assertEquals("dropped", readLine(p), "the python script did not drop its objects");
    assertEquals(List.of(), anonymousObjectsOnTheCoordinator());
    assertEquals(0, door.anonymousObjects());
    p.getOutputStream().close();
    finish(p);
  }
}
