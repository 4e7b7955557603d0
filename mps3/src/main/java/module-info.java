/**
 * MPS3: a multiplayer key-value document database in any S3-compatible bucket.
 *
 * <p>Exports the API ({@code io.mps3}), the storage SPI ({@code io.mps3.spi}) and the built-in
 * stores ({@code io.mps3.store}); the {@code io.mps3.internal} packages stay hidden.
 */
// "module": javac dislikes the name's terminal digits, but io.mps3 matches the packages and the
// product. "requires-*": the AWS signer artifacts ship no module-info, only a stable
// Automatic-Module-Name in their manifests; requiring them by that name is the intended use.
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module io.mps3 {
  exports io.mps3;
  exports io.mps3.spi;
  exports io.mps3.store;

  // In the API: Mps3Config takes an ObjectMapper, documents are JsonNodes (databind brings core).
  requires transitive com.fasterxml.jackson.databind;
  // In the API: S3ObjectStore.Builder.credentialsProvider takes an AWS identity provider.
  requires transitive software.amazon.awssdk.identity.spi;
  // The standalone SigV4 signer and the request types it signs.
  requires software.amazon.awssdk.http.auth.aws;
  requires software.amazon.awssdk.http.auth.spi;
  requires software.amazon.awssdk.http;
  requires java.net.http;
  requires java.xml; // StAX, for S3's XML answers
  // Nullness annotations: needed to compile, optional at run time; transitive so that modular
  // users compiling against this API see them too.
  requires static transitive org.jspecify;
}
