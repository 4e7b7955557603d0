package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which certificates the gateway trusts for an https store: the JVM's trust store, or, with {@code
 * upstream.trustedCertificates}, only the certificates of a PEM file (a private CA's, or a
 * self-signed store's own), read and checked when the config is loaded. The store's certificate
 * must still name the endpoint's host ({@code HTTPS} endpoint identification).
 *
 * <pre>{@code
 * upstream:
 *   endpoint: https://store.internal:9000
 *   trustedCertificates: store-ca.pem   # relative to the config's directory
 * }</pre>
 */
final class UpstreamTrust {

  private UpstreamTrust() {}

  /**
   * Reads the {@code trustedCertificates} option of the {@code upstream} section, if any.
   *
   * @return a trust store of the file's certificates, or null for the JVM's
   * @throws GatewayConfigException naming the line: an http endpoint, a file that cannot be read or
   *     holds no PEM certificate
   */
  static @Nullable KeyStore read(YamlSection upstream, URI endpoint, Path baseDirectory) {
    String key = "trustedCertificates";
    if (!upstream.has(key)) {
      return null;
    }
    if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
      throw upstream.error(key, upstream.name(key) + " is for an https endpoint, not " + endpoint);
    }
    Path path = baseDirectory.resolve(upstream.string(key)).toAbsolutePath().normalize();
    try (InputStream in = Files.newInputStream(path)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw upstream.error(key, upstream.name(key) + ": no certificate in " + path);
      }
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int n = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("trusted-" + n++, certificate);
      }
      return trusted;
    } catch (IOException | GeneralSecurityException e) {
      throw upstream.error(
          key, upstream.name(key) + ": cannot read " + path + " as PEM certificates: " + e);
    }
  }

  /** The socket factory of https connections that trust what {@code trusted} holds. */
  static SSLSocketFactory socketFactory(@Nullable KeyStore trusted) {
    if (trusted == null) {
      return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for the upstream store: " + e, e);
    }
  }
}
