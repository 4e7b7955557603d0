package io.mps3.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The identities whose sessions the operator has revoked ({@code sts.revoked}): session tokens are
 * sealed and stateless, so one cannot be withdrawn, but a gateway refuses every request of a
 * revoked identity's session, and its STS issues it no new one. Revoking takes effect on each
 * gateway when it is restarted with the new config; rotating the sealing keys revokes everyone.
 * Immutable.
 */
final class Revocations {

  /**
   * One revoked identity.
   *
   * @param subject the ID token's {@code sub}
   * @param issuer the ID token's {@code iss}, or null for the subject at every issuer
   */
  record Revoked(String subject, @Nullable String issuer) {
    Revoked {
      Objects.requireNonNull(subject, "subject");
    }
  }

  private final Set<String> subjects;
  private final Set<String> issuedSubjects;

  Revocations(List<Revoked> revoked) {
    this.subjects =
        revoked.stream()
            .filter(r -> r.issuer() == null)
            .map(Revoked::subject)
            .collect(Collectors.toUnmodifiableSet());
    this.issuedSubjects =
        revoked.stream()
            .filter(r -> r.issuer() != null)
            .map(r -> key(Objects.requireNonNull(r.issuer()), r.subject()))
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether the identity {@code subject} at {@code issuer} is revoked. */
  boolean revoked(String issuer, String subject) {
    return subjects.contains(subject)
        || (!issuedSubjects.isEmpty() && issuedSubjects.contains(key(issuer, subject)));
  }

  private static String key(String issuer, String subject) {
    return issuer + '\n' + subject; // no URL or subject holds a line end
  }
}
