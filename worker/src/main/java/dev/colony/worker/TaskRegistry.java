package dev.colony.worker;

import dev.colony.client.Task;
import dev.colony.client.task.TaskCodec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds task classes by name: on the worker's classpath, then in the {@code --tasks} jars (a
 * URLClassLoader whose parent is the application loader). Loaded types are cached; unknown names
 * are not, so a stream of bad names cannot grow the cache.
 */
final class TaskRegistry {
  private static final int MAX_NAME_LENGTH = 1_000;
  private static final int MAX_SHIPPED_TYPES = 1_000;
  // Java binary names: identifiers (which may hold '$') separated by dots.
  private static final Pattern BINARY_NAME =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
              + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  private final ClassLoader loader;
  private final List<Path> taskJars;
  private final TaskAllowList allowed;
  private final Map<String, TaskType> loaded = new ConcurrentHashMap<>();
  // Shipped code: null when the worker runs none (no --allow-code-from-clients).
  private volatile CodeCache code;
  // Task types of shipped jars, by hash and class name.
  private final Map<String, TaskType> shipped = new ConcurrentHashMap<>();

  TaskRegistry(ClassLoader loader, List<Path> taskJars, TaskAllowList allowed) {
    this.loader = loader;
    this.taskJars = List.copyOf(taskJars);
    this.allowed = allowed;
  }

  /**
   * A registry over the application classpath plus the given jars and folders of jars.
   *
   * @throws IllegalArgumentException if a path is neither a jar nor a folder
   */
  static TaskRegistry create(List<Path> jarsOrFolders, TaskAllowList allowed) {
    ClassLoader parent = TaskRegistry.class.getClassLoader();
    if (jarsOrFolders.isEmpty()) {
      return new TaskRegistry(parent, List.of(), allowed);
    }
    List<Path> places = expand(jarsOrFolders);
    URL[] urls = new URL[places.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = places.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("--tasks: cannot use " + places.get(i), e);
      }
    }
    return new TaskRegistry(new URLClassLoader("colony-tasks", urls, parent), places, allowed);
  }

  /**
   * Jars stay as they are; a folder gives the jars directly in it (sorted by name) and itself, so a
   * folder of compiled classes works too.
   */
  static List<Path> expand(List<Path> jarsOrFolders) {
    List<Path> places = new ArrayList<>();
    for (Path path : jarsOrFolders) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> entries = Files.list(path)) {
          entries
              .filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
              .sorted()
              .forEach(places::add);
        } catch (IOException e) {
          throw new UncheckedIOException("--tasks: cannot list " + path, e);
        }
        places.add(path);
      } else if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar")) {
        places.add(path);
      } else {
        throw new IllegalArgumentException(
            "--tasks: " + path + " is neither a jar file nor a folder of jars");
      }
    }
    return places;
  }

  /** Lets tasks ship their code (--allow-code-from-clients). */
  void allowShippedCode(CodeCache cache) {
    this.code = cache;
  }

  /**
   * The task class of that name in the shipped jar {@code sha256}. A class the jar has is allowed
   * whatever {@code --allow-tasks} says (the worker's {@code --allow-code-from-clients} allows it);
   * a name the jar does not have is looked up on the worker as without shipped code.
   *
   * @throws TaskRefusal CODE_NOT_ALLOWED on a worker that runs no shipped code, CODE_UNAVAILABLE
   *     when the jar cannot be had, or as {@link #lookup(String)}
   */
  TaskType lookup(String name, String sha256) throws TaskRefusal {
    if (sha256.isEmpty()) {
      return lookup(name);
    }
    CodeCache cache = code;
    if (cache == null) {
      throw TaskRefusal.codeNotAllowed(
          "task "
              + abbreviate(name)
              + " ships its code, and this worker runs only code it has: start it with"
              + " --allow-code-from-clients (WorkerOptions.setAllowCodeFromClients) to run code"
              + " shipped by clients");
    }
    String key = sha256 + "/" + name;
    TaskType type = shipped.get(key);
    if (type != null) {
      return type;
    }
    ClassLoader jar = cache.loader(sha256);
    if (name.length() > MAX_NAME_LENGTH || !BINARY_NAME.matcher(name).matches()) {
      throw TaskRefusal.unknownTask(
          "'" + abbreviate(name) + "' is not a Java class name; a task is named by its class",
          null);
    }
    Class<?> taskClass;
    try {
      taskClass = Class.forName(name, false, jar);
    } catch (ClassNotFoundException | LinkageError e) {
      throw TaskRefusal.unknownTask(
          "no task class " + name + " in the shipped jar " + sha256 + " nor on this worker",
          e instanceof ClassNotFoundException ? null : e);
    }
    if (taskClass.getClassLoader() != jar) {
      // The worker has a class of that name itself (the parent loader goes first).
      return lookup(name);
    }
    type = typeOf(name, taskClass);
    if (shipped.size() >= MAX_SHIPPED_TYPES) {
      // Bounded like the jars' loaders: the types of evicted jars must not pin them forever.
      shipped.clear();
    }
    shipped.put(key, type);
    return type;
  }

  /** Where tasks may come from: the places beyond the application classpath. */
  List<Path> taskJars() {
    return taskJars;
  }

  /**
   * The task class of that name.
   *
   * @throws TaskRefusal UNKNOWN_TASK when there is no such class (the message says where it
   *     looked), NOT_A_TASK when the class is not a usable {@link Task}, TASK_NOT_ALLOWED when the
   *     worker's allow list does not have it
   */
  TaskType lookup(String name) throws TaskRefusal {
    if (!allowed.onlyTaskJars() && !allowed.allowsName(name)) {
      throw TaskRefusal.notAllowed(
          "task class "
              + abbreviate(name)
              + " is not allowed on this worker: its --allow-tasks are "
              + allowed.patterns());
    }
    TaskType type = loaded.get(name);
    if (type == null) {
      type = load(name);
      loaded.put(name, type);
    }
    return type;
  }

  private TaskType load(String name) throws TaskRefusal {
    if (name.length() > MAX_NAME_LENGTH || !BINARY_NAME.matcher(name).matches()) {
      throw TaskRefusal.unknownTask(
          "'" + abbreviate(name) + "' is not a Java class name; a task is named by its class",
          null);
    }
    Class<?> taskClass;
    try {
      // Not initialized: a submitter must not be able to run the static initializer of any class
      // on the worker's classpath just by naming it.
      taskClass = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw TaskRefusal.unknownTask(
          "no task class " + name + " on this worker; looked in " + placesLooked(),
          e instanceof ClassNotFoundException ? null : e);
    }
    if (allowed.onlyTaskJars() && taskClass.getClassLoader() != tasksLoader()) {
      throw TaskRefusal.notAllowed(
          "task class "
              + name
              + " is not allowed on this worker: without --allow-tasks it runs only the classes of"
              + " its --tasks jars"
              + (taskJars.isEmpty() ? " (none were given)" : " " + taskJars)
              + ", and this class comes from elsewhere");
    }
    return typeOf(name, taskClass);
  }

  private static TaskType typeOf(String name, Class<?> taskClass) throws TaskRefusal {
    if (!Task.class.isAssignableFrom(taskClass)) {
      throw TaskRefusal.notATask(
          name + " is not a task: it does not implement " + Task.class.getName());
    }
    if (taskClass.isInterface() || Modifier.isAbstract(taskClass.getModifiers())) {
      throw TaskRefusal.notATask(
          name + " is not a task that can run: it is abstract; name a concrete class");
    }
    Constructor<?> constructor;
    try {
      constructor = taskClass.getConstructor();
      // Allows public constructors of classes that are not public themselves (nested in tests).
      constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw TaskRefusal.notATask(
          name
              + " is not a task that can run: it needs a public no-arg constructor"
              + (taskClass.isMemberClass() && !Modifier.isStatic(taskClass.getModifiers())
                  ? " (make the inner class static)"
                  : ""));
    } catch (RuntimeException e) {
      throw TaskRefusal.notATask(name + " is not a task that can run: " + e.getMessage());
    }
    return new TaskType(taskClass, constructor, TaskCodec.argumentType(taskClass));
  }

  /** The loader of the {@code --tasks} jars; null when there are none. */
  private ClassLoader tasksLoader() {
    return taskJars.isEmpty() ? null : loader;
  }

  private String placesLooked() {
    String classpath = System.getProperty("java.class.path", "");
    int entries = classpath.isEmpty() ? 0 : classpath.split(File.pathSeparator).length;
    String places = "the worker's classpath (" + entries + " entries)";
    if (taskJars.isEmpty()) {
      return places + "; no --tasks jars were given";
    }
    return places + " and the --tasks jars " + taskJars;
  }

  private static String abbreviate(String name) {
    return name.length() <= 200 ? name : name.substring(0, 200) + "...";
  }
}
