package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.Delivery;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Takes something and holds it until killed. Args: target ttlMillis mode name, where mode {@code
 * lock} locks {@code name} and prints {@code TOKEN <fencing token>}, and mode {@code delivery}
 * takes an item of queue {@code name} without acknowledging it and prints {@code TOOK <item>}.
 */
public final class HolderApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          ColonyClient client =
              AppSupport.connect(args[0], "holder", Duration.ofMillis(Long.parseLong(args[1])));
          switch (args[2]) {
            case "lock" -> {
              ColonyLock lock = client.lock(args[3]);
              lock.lock();
              AppSupport.report("TOKEN " + lock.fencingToken());
            }
            case "delivery" -> {
              Delivery<String> delivery = client.queue(args[3], String.class).takeDelivery();
              AppSupport.report("TOOK " + delivery.value());
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[2]);
          }
          // Hold until the test kills this JVM; the client is never closed on purpose.
          new CountDownLatch(1).await();
        });
  }
}
