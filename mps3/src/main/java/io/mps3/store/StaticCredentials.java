package io.mps3.store;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

/** Fixed credentials as an SDK identity provider; its {@code toString} never shows them. */
final class StaticCredentials {

  private StaticCredentials() {}

  static <T extends AwsCredentialsIdentity> IdentityProvider<T> of(T identity) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) AwsCredentialsIdentity.class;
    return new IdentityProvider<>() {
      @Override
      public Class<T> identityType() {
        return type;
      }

      @Override
      public CompletableFuture<? extends T> resolveIdentity(ResolveIdentityRequest request) {
        return CompletableFuture.completedFuture(identity);
      }

      @Override
      public String toString() {
        return "static credentials";
      }
    };
  }
}
