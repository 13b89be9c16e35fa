package dev.colony.server.store;

/**
 * A batch was appended to a node that does not lead its group (or stopped leading before the batch
 * was committed). The batch may still be committed by the new leader: whoever sent its commands
 * sends them again there, with the same request ids, and the retry cache keeps them from being
 * applied twice.
 */
public final class NotLeaderException extends RuntimeException {
  public NotLeaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
