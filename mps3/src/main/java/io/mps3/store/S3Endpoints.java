package io.mps3.store;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** Checks of an S3 endpoint URL, and the addressing style it gets by default. */
final class S3Endpoints {

  private S3Endpoints() {}

  /**
   * {@return the endpoint as {@code scheme://host[:port]}, its scheme in lower case}
   *
   * @throws IllegalArgumentException when it is not http or https, has no host, or has a path or
   *     query (the bucket is given per call)
   */
  static URI checked(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("endpoint must be an http:// or https:// URL, was " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint has no host: " + uri);
    }
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "endpoint must be scheme://host[:port] only, without a path or query (the bucket is"
              + " given per call): "
              + uri);
    }
    return URI.create(scheme + "://" + uri.getRawAuthority());
  }

  /**
   * Refuses plain http to a host that is not a loopback address: anyone on the path could read and
   * change the data.
   *
   * @param uri an endpoint that passed {@link #checked}
   * @throws IllegalArgumentException naming the endpoint and {@code allowInsecureHttp()}
   */
  static void requireHttpsUnlessLoopback(URI uri) {
    if (uri.getScheme().equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "endpoint "
              + uri
              + " uses plain http to a host that is not loopback; use https, or call"
              + " allowInsecureHttp() to accept that anyone on the path can read the data");
    }
  }

  /** {@return whether the bucket goes in the path by default: for every host but AWS's own} */
  static boolean pathStyleByDefault(URI uri) {
    return !uri.getHost().toLowerCase(Locale.ROOT).endsWith(".amazonaws.com");
  }

  private static boolean isLoopback(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
      return false; // a name: do not resolve it here
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
