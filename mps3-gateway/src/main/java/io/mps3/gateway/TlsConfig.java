package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The optional {@code tls} section of the config: the gateway serves https with a PKCS12 keystore
 * (its certificate chain and private key), read and checked when the config is loaded, so a missing
 * or unreadable keystore or a wrong password is a startup error naming the line.
 *
 * <pre>{@code
 * tls:
 *   keyStore: gateway.p12                         # relative to the config's directory
 *   keyStorePassword: env:MPS3_GATEWAY_TLS_PASSWORD   # or file:PATH; never in the file
 * }</pre>
 *
 * <p>{@link #toString()} never shows the password.
 *
 * @param keyStorePath where the keystore was read from, for messages
 * @param keyStore the loaded keystore
 * @param password its password (and its key's: PKCS12 keystores made by keytool share one)
 */
record TlsConfig(Path keyStorePath, KeyStore keyStore, String password) {

  /** Resolves a secret reference ({@code env:} or {@code file:}) of a section's option. */
  @FunctionalInterface
  interface Secrets {
    String resolve(YamlSection section, String key);
  }

  /**
   * Reads the {@code tls} section of a config root, if any, and opens its keystore.
   *
   * @return the section, or null when the gateway serves plain http
   * @throws GatewayConfigException naming the line: a keystore that cannot be read or is not
   *     PKCS12, a password that does not open it, no private key in it
   */
  static @Nullable TlsConfig parse(YamlSection root, Path baseDirectory, Secrets secrets) {
    if (!root.has("tls")) {
      return null;
    }
    YamlSection tls = root.section("tls");
    tls.allowOnly(Set.of("keyStore", "keyStorePassword"));
    Path path = baseDirectory.resolve(tls.string("keyStore")).toAbsolutePath().normalize();
    String password = secrets.resolve(tls, "keyStorePassword");
    KeyStore keyStore;
    try (InputStream in = Files.newInputStream(path)) {
      keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, password.toCharArray());
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw tls.error(
            "keyStorePassword",
            tls.name("keyStorePassword") + " does not open the keystore " + path);
      }
      throw tls.error(
          "keyStore",
          tls.name("keyStore")
              + ": cannot read "
              + path
              + " as a PKCS12 keystore: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (GeneralSecurityException e) {
      throw tls.error(
          "keyStore",
          tls.name("keyStore") + ": cannot read " + path + " as a PKCS12 keystore: " + e);
    }
    checkKey(tls, path, keyStore, password);
    return new TlsConfig(path, keyStore, password);
  }

  /** The keystore must hold a private key that opens with the same password. */
  private static void checkKey(YamlSection tls, Path path, KeyStore keyStore, String password) {
    try {
      for (String alias : Collections.list(keyStore.aliases())) {
        if (keyStore.isKeyEntry(alias)) {
          keyStore.getKey(alias, password.toCharArray());
          return;
        }
      }
    } catch (UnrecoverableKeyException e) {
      throw tls.error(
          "keyStorePassword",
          tls.name("keyStorePassword") + " does not open the private key in " + path);
    } catch (GeneralSecurityException e) {
      throw tls.error("keyStore", tls.name("keyStore") + ": cannot read " + path + ": " + e);
    }
    throw tls.error(
        "keyStore",
        tls.name("keyStore")
            + ": "
            + path
            + " holds no private key (it needs the gateway's certificate and key, e.g. from"
            + " keytool -genkeypair or openssl pkcs12 -export)");
  }

  /**
   * A TLS context serving this keystore's key and certificate chain (the JDK's default protocols
   * and ciphers), for {@link BlockingServer}.
   *
   * @throws GeneralSecurityException the key cannot be read with the password (checked at load, so
   *     only for a keystore changed since)
   */
  SSLContext sslContext() throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  @Override
  public String toString() {
    return "TlsConfig[" + keyStorePath + "]";
  }
}
