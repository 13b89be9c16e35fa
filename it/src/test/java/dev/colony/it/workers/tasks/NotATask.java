package dev.colony.it.workers.tasks;

/** On the workers' classpath, constructible, but not a Task: workers must refuse to run it. */
public final class NotATask {
  public NotATask() {}

  public Integer call(Integer n) {
    return n;
  }
}
