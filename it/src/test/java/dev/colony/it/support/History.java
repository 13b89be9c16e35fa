package dev.colony.it.support;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Operations as clients saw them, one line per event: {@code CLIENT SEQ TYPE OP VALUE NANOS}. An
 * operation is an {@code invoke} followed by its completion: {@code ok} (done, with its result),
 * {@code fail} (certainly not done) or {@code unknown} (the call failed, so it may or may not have
 * been done); an invocation with no completion at all is unknown too. {@code SEQ} counts each
 * client's events from 0, so a file cut short or interleaved shows. The stamps are {@link
 * System#nanoTime()}: on Linux that reads CLOCK_MONOTONIC, one clock for every process on the
 * machine, so stamps from different client JVMs order events in real time.
 *
 * <p>Client JVMs write with {@link Recorder}; the test reads with {@link #read} and hands the
 * events to {@link HistoryChecker}.
 */
public final class History {
  private History() {}

  /** What happened to an operation, or that it began. */
  public enum Type {
    INVOKE,
    OK,
    FAIL,
    UNKNOWN
  }

  /** One event; {@code value} is null when the operation has none. */
  public record Event(String client, long seq, Type type, String op, Long value, long nanos) {
    String line() {
      return client
          + " "
          + seq
          + " "
          + type.name().toLowerCase()
          + " "
          + op
          + " "
          + (value == null ? "-" : value.toString())
          + " "
          + nanos;
    }

    static Event parse(String line) {
      String[] f = line.split(" ");
      if (f.length != 6) {
        throw new IllegalArgumentException("not a history event: " + line);
      }
      return new Event(
          f[0],
          Long.parseLong(f[1]),
          Type.valueOf(f[2].toUpperCase()),
          f[3],
          f[4].equals("-") ? null : Long.valueOf(f[4]),
          Long.parseLong(f[5]));
    }

    @Override
    public String toString() {
      return line();
    }
  }

  /**
   * The complete events in {@code files}, in file order. A last line without its newline is left
   * out: the file is being written, and the rest of that line is still to come.
   */
  public static List<Event> read(List<Path> files) throws IOException {
    List<Event> events = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) {
        continue;
      }
      for (String line : text.substring(0, end).split("\n")) {
        if (!line.isEmpty()) {
          events.add(Event.parse(line));
        }
      }
    }
    return events;
  }

  /** Counts the {@code ok} completions of {@code op} in {@code events}. */
  public static long acked(List<Event> events, String op) {
    return events.stream().filter(e -> e.type() == Type.OK && e.op().equals(op)).count();
  }

  /**
   * Writes the events of the clients of one JVM to one file, each line flushed as it is written so
   * that what the JVM saw is on disk whenever it stops.
   */
  public static final class Recorder implements AutoCloseable {
    private final BufferedWriter out;

    public Recorder(Path file) throws IOException {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** The recorder of one client: a single thread, whose events are numbered in order. */
    public Client client(String id) {
      if (id.contains(" ")) {
        throw new IllegalArgumentException("client id with a space: " + id);
      }
      return new Client(id);
    }

    private synchronized void write(Event event) {
      try {
        out.write(event.line());
        out.newLine();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void close() throws IOException {
      out.close();
    }

    /** One client's events; used by one thread. */
    public final class Client {
      private final String id;
      private long seq;

      private Client(String id) {
        this.id = id;
      }

      public void invoke(String op, Long value) {
        record(Type.INVOKE, op, value);
      }

      public void ok(String op, Long value) {
        record(Type.OK, op, value);
      }

      public void fail(String op) {
        record(Type.FAIL, op, null);
      }

      public void unknown(String op) {
        record(Type.UNKNOWN, op, null);
      }

      private void record(Type type, String op, Long value) {
        write(new Event(id, seq++, type, op, value, System.nanoTime()));
      }
    }
  }
}
