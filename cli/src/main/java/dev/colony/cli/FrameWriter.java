package dev.colony.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Text for one of a command server caller's streams: each flush sends what was written as one
 * frame, its channel letter ({@code O} or {@code E}) and the text, NUL-terminated. The caller's
 * script splits frames on NUL, so NUL characters in the text are dropped.
 */
final class FrameWriter extends Writer {
  private final char channel;
  private final OutputStream out;
  private final StringBuilder pending = new StringBuilder();

  FrameWriter(char channel, OutputStream out) {
    this.channel = channel;
    this.out = out;
  }

  @Override
  public synchronized void write(char[] text, int offset, int length) {
    pending.append(text, offset, length);
  }

  @Override
  public synchronized void flush() throws IOException {
    if (pending.length() == 0) {
      return;
    }
    String text = channel + pending.toString().replace("\0", "") + "\0";
    pending.setLength(0);
    // Both channels share the socket: one frame at a time.
    synchronized (out) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
