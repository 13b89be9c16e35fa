package dev.colony.bench;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far a long row is. On a terminal a progress bar (me.tongfei:progressbar) on stderr;
 * elsewhere (pipes, files, CI logs) nothing, so logs stay clean.
 */
interface Progress {

  /** A bar for one row; closed when the row ends. */
  interface Bar extends AutoCloseable {
    /** Iterations done so far (warm-up included). */
    void stepTo(long done);

    @Override
    void close();
  }

  Bar start(String label, long total);

  /** No display at all. */
  Progress NONE = (label, total) -> NoBar.INSTANCE;

  /** A bar when {@code System.console()} says stdout and stdin are a terminal, else none. */
  static Progress forConsole() {
    return System.console() != null ? new Terminal(System.err) : NONE;
  }

  /** The progress bar. */
  final class Terminal implements Progress {
    private final PrintStream out;

    Terminal(PrintStream out) {
      this.out = out;
    }

    @Override
    public Bar start(String label, long total) {
      ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName(label)
              .setInitialMax(total)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(250)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
              .clearDisplayOnFinish()
              .build();
      return new Bar() {
        @Override
        public void stepTo(long done) {
          bar.stepTo(done);
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    }
  }

  /** The bar of {@link #NONE}. */
  enum NoBar implements Bar {
    INSTANCE;

    @Override
    public void stepTo(long done) {}

    @Override
    public void close() {}
  }
}
