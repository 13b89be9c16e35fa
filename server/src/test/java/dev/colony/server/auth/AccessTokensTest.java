package dev.colony.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AccessTokensTest {
  private static final String CLIENT = "client-token-0123456789";
  private static final String WORKER = "worker-token-0123456789";

  @Test
  void roleLines_giveEachTokenItsRole() {
    AccessTokens tokens =
        AccessTokens.parse(
            "# tokens\n\nclient=" + CLIENT + "\nworker = " + WORKER + "\n", "tokens.txt");
    assertEquals(Role.CLIENT, tokens.authenticate(CLIENT).orElseThrow().role());
    assertEquals(Role.WORKER, tokens.authenticate(WORKER).orElseThrow().role());
    assertTrue(tokens.authenticate("client-token-012345678").isEmpty());
    assertTrue(tokens.authenticate(null).isEmpty());
  }

  @Test
  void internalClient_getsAFreshClientToken_andTheOthersStillWork() {
    AccessTokens tokens = AccessTokens.parse("worker=" + WORKER + "\n", "tokens.txt");
    AccessTokens.Minted minted = tokens.plusInternalClient();

    assertEquals(Role.CLIENT, minted.tokens().authenticate(minted.token()).orElseThrow().role());
    assertEquals(Role.WORKER, minted.tokens().authenticate(WORKER).orElseThrow().role());
    assertTrue(tokens.authenticate(minted.token()).isEmpty(), "the original tokens are unchanged");
    assertNotEquals(minted.token(), tokens.plusInternalClient().token());
  }

  @Test
  void principal_namesTheTokenWithoutRevealingIt() {
    AccessTokens tokens =
        AccessTokens.parse("client=" + CLIENT + "\nclient=" + CLIENT + "x\n", "tokens.txt");
    Caller one = tokens.authenticate(CLIENT).orElseThrow();
    Caller two = tokens.authenticate(CLIENT + "x").orElseThrow();
    assertTrue(one.principal().matches("client:[0-9a-f]{12}"), one.principal());
    assertNotEquals(one.principal(), two.principal());
    assertFalse(one.principal().contains(CLIENT));
  }

  @Test
  void singleBareToken_isAnAdminToken() {
    AccessTokens tokens = AccessTokens.parse(CLIENT + "\n", "tokens.txt");
    assertEquals(Role.ADMIN, tokens.authenticate(CLIENT).orElseThrow().role());
  }

  @Test
  void noTokens_everyCallerIsAnonymous() {
    assertFalse(AccessTokens.none().isEnabled());
    assertEquals(Caller.ANONYMOUS, AccessTokens.none().authenticate(null).orElseThrow());
  }

  @Test
  void badFiles_areRefusedNamingTheLineNotTheToken() {
    var shortToken =
        assertThrows(
            IllegalArgumentException.class, () -> AccessTokens.parse("client=short\n", "t"));
    assertEquals(
        "t line 1: a token must be at least 16 characters; make one with `openssl rand -hex 32`",
        shortToken.getMessage());
    var unknownRole =
        assertThrows(
            IllegalArgumentException.class,
            () -> AccessTokens.parse("client=" + CLIENT + "\nroot=" + WORKER, "t"));
    assertTrue(unknownRole.getMessage().startsWith("t line 2: expected role=token"));
    assertFalse(unknownRole.getMessage().contains(WORKER));
    var shared =
        assertThrows(
            IllegalArgumentException.class,
            () -> AccessTokens.parse("client=" + CLIENT + "\nworker=" + CLIENT, "t"));
    assertTrue(shared.getMessage().contains("each role needs its own token"));
    assertThrows(IllegalArgumentException.class, () -> AccessTokens.parse("# nothing\n", "t"));
  }
}
