package dev.colony.client;

/**
 * Code that runs on a worker daemon. A task is addressed by the binary name of its class ({@link
 * Class#getName()}), which must be on the worker's classpath or in its {@code --tasks} jars; the
 * worker creates one instance per execution with the public no-arg constructor.
 *
 * <p>The argument arrives encoded with the SDK's codecs and is decoded into {@code A}, read from
 * the class's {@code Task<A, R>} declaration. The result is encoded by its runtime class. A task
 * that throws fails that task only: the caller sees the exception's class, message, stack and
 * causes as text (never Java serialization).
 *
 * <p>Delivery is at-least-once: a task whose worker is lost runs again elsewhere, so tasks with
 * side effects should be idempotent. A task that is cancelled or times out is interrupted; it
 * should return promptly when {@link Thread#isInterrupted()} or {@link TaskContext#isCancelled()}.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task<A, R> {
  R call(A argument, TaskContext context) throws Exception;
}
