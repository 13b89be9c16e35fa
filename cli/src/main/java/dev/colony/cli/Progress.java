package dev.colony.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for the long parts of a command, or nothing when the output is not a
 * terminal (a pipe, a file, a test), where redrawn lines would only be noise.
 */
interface Progress extends AutoCloseable {
  /** One more done; safe to call from several threads. */
  void step();

  @Override
  void close();

  /** A bar named {@code task} counting to {@code max}, if this process has a terminal. */
  static Progress open(String task, long max) {
    if (System.console() == null) {
      return new Progress() {
        @Override
        public void step() {}

        @Override
        public void close() {}
      };
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(100)
            .continuousUpdate()
            .build();
    return new Progress() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
