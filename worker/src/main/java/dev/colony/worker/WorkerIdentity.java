package dev.colony.worker;

import dev.colony.client.ColonyClient;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where tasks run: this JVM's host and pid, and the worker's client session (null in tests that run
 * tasks without a coordinator).
 */
record WorkerIdentity(String host, long pid, ColonyClient client) {

  static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String fromEnv = System.getenv("HOSTNAME");
      return fromEnv == null || fromEnv.isEmpty() ? "localhost" : fromEnv;
    }
  }

  static long localPid() {
    return ProcessHandle.current().pid();
  }
}
