package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's rules, over requests classified from their method, path and query. */
class RulesTest {

  private static final Rules RULES =
      Rules.compile(
          GatewayConfigLoader.parse(
              GatewayConfigLoaderTest.GOOD.substring(
                      0, GatewayConfigLoaderTest.GOOD.indexOf("rules:"))
                  + """
                  rules:
                    - name: everyone-reads-rooms
                      allow: >-
                        (request.operation in ['GetObject', 'HeadObject']
                          && request.key.startsWith('rooms/'))
                        || (request.operation == 'ListObjectsV2'
                          && request.prefix.startsWith('rooms/'))
                    - name: own-keys
                      allow: >-
                        request.operation == 'PutObject'
                        && request.key.startsWith('users/' + claims.sub + '/')
                    - name: admins
                      allow: "'admin' in claims.roles"
                  """,
              "gateway.yaml",
              Path.of("."),
              Map.of(
                  "SEALING_KEY",
                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                  "UPSTREAM_SECRET",
                  "s")));

  @Test
  void decide_readmeRules_allowWhatTheySayAndNothingElse() {
    Session alice = session("alice", Map.of("sub", "alice"));
    assertThat(decide(alice, "GET", "/b/rooms/1", "")).isEqualTo("everyone-reads-rooms");
    assertThat(decide(alice, "GET", "/b", "list-type=2&prefix=rooms%2F"))
        .isEqualTo("everyone-reads-rooms");
    assertThat(decide(alice, "GET", "/b", "list-type=2&prefix=users%2F")).isEmpty();
    assertThat(decide(alice, "PUT", "/b/users/alice/x", "")).isEqualTo("own-keys");
    assertThat(decide(alice, "PUT", "/b/users/bob/x", ""))
        .as("no roles claim: CEL error")
        .isEmpty();
    assertThat(decide(alice, "PUT", "/b/rooms/1", "")).isEmpty();
    assertThat(decide(alice, "GET", "/b/rooms/1", "acl")).as("a sub-resource").isEmpty();

    Session root = session("root", Map.of("sub", "root", "roles", List.of("admin")));
    assertThat(decide(root, "DELETE", "/b/users/bob/x", "")).isEqualTo("admins");
  }

  @Test
  void decide_askedAgain_answersAsBeforeForThatSessionOnly() {
    // Decisions are remembered per session object and request: asked again (in any order) each
    // session gets its own answer, never another's.
    Session alice = session("alice", Map.of("sub", "alice"));
    Session bob = session("bob", Map.of("sub", "bob"));
    Session aliceAgain = session("alice", Map.of("sub", "alice"));
    for (int round = 0; round < 2; round++) {
      assertThat(decide(alice, "PUT", "/b/users/alice/x", "")).isEqualTo("own-keys");
      assertThat(decide(bob, "PUT", "/b/users/alice/x", "")).isEmpty();
      assertThat(decide(aliceAgain, "PUT", "/b/users/alice/x", "")).isEqualTo("own-keys");
      assertThat(decide(alice, "PUT", "/b/users/bob/x", "")).isEmpty();
      assertThat(decide(bob, "PUT", "/b/users/bob/x", "")).isEqualTo("own-keys");
      assertThat(decide(alice, "GET", "/b/users/alice/x", "")).as("another operation").isEmpty();
    }
  }

  private static String decide(Session session, String method, String path, String query) {
    S3Operation operation =
        S3Operation.of(method, SigV4.decode(path, false), SigV4.parseQuery(query));
    return RULES.decide(session, operation).rule();
  }

  private static Session session(String subject, Map<String, Object> claims) {
    return new Session(
        "ASIA", "secret", "iss", subject, "arn:aws:iam::1:role/r", "app", Instant.MAX, claims);
  }
}
