package dev.colony.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Prints its arguments, then echoes stdin lines until "exit": exercises the process fixture. */
public final class EchoApp {
  public static void main(String[] args) throws Exception {
    System.out.println("ARGS " + String.join(" ", args));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("exit")) {
      System.out.println("ECHO " + line);
    }
  }
}
