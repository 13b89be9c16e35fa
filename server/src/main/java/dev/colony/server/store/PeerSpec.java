package dev.colony.server.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Group members as people write them: {@code ID=HOST:RAFTPORT}, comma-separated for a group. */
public final class PeerSpec {
  private static final Pattern MEMBER =
      Pattern.compile(
          "([A-Za-z0-9][A-Za-z0-9_.-]{0,63})=([^=,\\s:]+|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");

  private PeerSpec() {}

  /**
   * Parses one member.
   *
   * @throws IllegalArgumentException saying what a member looks like
   */
  public static CommandLog.Member parse(String text) {
    Matcher m = MEMBER.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a group member is ID=HOST:RAFTPORT, e.g. n1=127.0.0.1:7081; got '" + text + "'");
    }
    int port = Integer.parseInt(m.group(3));
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "the Raft port of '" + text + "' is out of range: it must be between 1 and 65535");
    }
    return new CommandLog.Member(m.group(1), m.group(2) + ":" + port);
  }

  /**
   * Parses a comma-separated group.
   *
   * @throws IllegalArgumentException for a malformed member or an id given twice
   */
  public static List<CommandLog.Member> parseGroup(String text) {
    List<CommandLog.Member> members = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      CommandLog.Member member = parse(part);
      if (!ids.add(member.id())) {
        throw new IllegalArgumentException("the node id " + member.id() + " is there twice");
      }
      members.add(member);
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException(
          "--peers names the group's members, e.g. n1=127.0.0.1:7081,n2=127.0.0.1:7082,"
              + "n3=127.0.0.1:7083");
    }
    return members;
  }
}
