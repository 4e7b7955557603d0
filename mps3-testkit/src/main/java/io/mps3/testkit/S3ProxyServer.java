package io.mps3.testkit;

import io.mps3.store.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.jspecify.annotations.Nullable;

/**
 * S3Proxy 4.1 running in this JVM on 127.0.0.1 and a free port, checking SigV4 signatures. The
 * {@code transient} back end keeps objects in memory and supports versioning; {@code filesystem}
 * keeps them in a directory and does not.
 *
 * <p>Thread-safe.
 */
public final class S3ProxyServer implements S3Server {

  /** The access key id the server accepts. */
  public static final String ACCESS_KEY = "mps3-test-access-key";

  /** The secret key the server accepts. */
  public static final String SECRET_KEY = "mps3-test-secret-key";

  private static @Nullable S3ProxyServer shared;

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final String name;
  private final boolean https;

  private S3ProxyServer(S3Proxy proxy, BlobStore blobStore, String name, boolean https) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.name = name;
    this.https = https;
  }

  /** The in-memory S3Proxy shared by every caller in this JVM, started on first use. */
  public static synchronized S3ProxyServer shared() {
    if (shared == null) {
      S3ProxyServer started = startTransient();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "s3proxy-stop"));
      shared = started;
    }
    return shared;
  }

  /** Starts S3Proxy over its in-memory back end. */
  public static S3ProxyServer startTransient() {
    return start("transient", new Properties(), "S3Proxy (transient)");
  }

  /**
   * Starts S3Proxy over its in-memory back end serving https only, with the certificate and key of
   * a keystore (PKCS12 or JKS; its password opens the key too). Clients must trust the certificate,
   * which must name 127.0.0.1. {@link #storeBuilder} does not fit (the MPS3 client trusts the JVM's
   * trust store).
   */
  public static S3ProxyServer startTransientHttps(Path keyStore, String password) {
    return start(
        "transient", new Properties(), "S3Proxy (transient, https)", 0, keyStore, password);
  }

  /** Starts S3Proxy over a directory (created if missing). */
  public static S3ProxyServer startFilesystem(Path directory) {
    return startFilesystem(directory, 0);
  }

  /**
   * Starts S3Proxy over a directory on a given port (0 for a free one), so that a process restarted
   * on the same directory and port is the same store at the same address ({@link S3ProxyProcess}).
   */
  public static S3ProxyServer startFilesystem(Path directory, int port) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toString());
    return start("filesystem", properties, "S3Proxy (filesystem)", port);
  }

  private static S3ProxyServer start(String provider, Properties properties, String name) {
    return start(provider, properties, name, 0);
  }

  private static S3ProxyServer start(
      String provider, Properties properties, String name, int port) {
    return start(provider, properties, name, port, null, null);
  }

  private static S3ProxyServer start(
      String provider,
      Properties properties,
      String name,
      int port,
      @Nullable Path keyStore,
      @Nullable String password) {
    try {
      BlobStore blobStore = BlobStores.create(provider, properties);
      S3Proxy.Builder builder =
          S3Proxy.builder()
              .blobStore(blobStore)
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY);
      if (keyStore != null && password != null) {
        builder
            .secureEndpoint(URI.create("https://127.0.0.1:" + port))
            .keyStore(keyStore.toString(), password);
      } else {
        builder.endpoint(URI.create("http://127.0.0.1:" + port));
      }
      S3Proxy proxy = builder.build();
      proxy.start();
      if (!"STARTED".equals(proxy.getState())) {
        throw new IllegalStateException("S3Proxy did not start: state " + proxy.getState());
      }
      return new S3ProxyServer(proxy, blobStore, name, keyStore != null);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy (" + provider + "): " + e, e);
    }
  }

  @Override
  public URI endpoint() {
    return https
        ? URI.create("https://127.0.0.1:" + proxy.getSecurePort())
        : URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  @Override
  public S3ObjectStore.Builder storeBuilder() {
    return S3ObjectStore.builder().endpoint(endpoint()).credentials(ACCESS_KEY, SECRET_KEY);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
      blobStore.close();
    } catch (Exception e) {
      // Stopping at exit: nothing more to do.
    }
  }
}
