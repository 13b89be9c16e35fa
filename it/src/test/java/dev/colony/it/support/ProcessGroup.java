package dev.colony.it.support;

import java.util.ArrayList;
import java.util.List;

/** Child JVMs started together and closed together, however the test ends. */
public final class ProcessGroup implements AutoCloseable {

  private final List<JavaProcess> processes = new ArrayList<>();

  /** Adds {@code process} to the group and returns it. */
  public JavaProcess add(JavaProcess process) {
    processes.add(process);
    return process;
  }

  public List<JavaProcess> processes() {
    return List.copyOf(processes);
  }

  @Override
  public void close() {
    processes.forEach(JavaProcess::close);
  }
}
