package io.mps3.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where an S3 request names its bucket: in the path ({@code /bucket/key}, path style) or in the
 * {@code Host} ({@code bucket.gateway.example.com}, path {@code /key}: virtual-hosted style, the
 * AWS SDKs' default for a custom endpoint). The one place that decides it, so that nothing after
 * the signature check reads a path two ways: every later step reads the request in path style.
 *
 * <p>A request is virtual-hosted when its {@code Host} (port and a trailing dot dropped, any case)
 * is {@code <bucket>.<domain>} for one of the configured {@code virtualHostDomains}; any other
 * host, a domain itself included, is path style. So a config without the option reads every request
 * as before, and the STS, health and metrics endpoints answer on the bare domain. Immutable.
 */
final class Addressing {

  /** The config's root option: the gateway's own host names, whose subdomains are buckets. */
  static final String OPTION = "virtualHostDomains";

  /** A DNS name: dot-separated labels of letters, digits and inner hyphens. */
  private static final Pattern HOST_NAME =
      Pattern.compile("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /** S3's bucket naming rules (3-63 of lowercase letters, digits, dots, hyphens; ends alnum). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private static final Pattern IPV4 = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+");

  private final List<String> domains;

  /**
   * @param domains the gateway's host names, lowercase, empty for path style only
   */
  Addressing(List<String> domains) {
    this.domains = List.copyOf(domains);
  }

  /**
   * Reads the optional root option {@value #OPTION} of a config: a list of host names.
   *
   * @throws GatewayConfigException naming the line: not a list, or an item that is not a plain host
   *     name (a scheme, a port, a path, a wildcard)
   */
  static Addressing parse(YamlSection root) {
    List<String> domains = new ArrayList<>();
    List<String> items = root.strings(OPTION, List.of());
    for (int i = 0; i < items.size(); i++) {
      String name = items.get(i);
      if (!HOST_NAME.matcher(name).matches() || name.length() > 253) {
        throw root.error(
            OPTION,
            OPTION
                + "["
                + i
                + "] must be a host name such as gateway.example.com (no scheme, port, path"
                + " or wildcard), not '"
                + name
                + "'");
      }
      domains.add(name.toLowerCase(Locale.ROOT));
    }
    return new Addressing(domains);
  }

  /** The configured domains, lowercase. */
  List<String> domains() {
    return domains;
  }

  /**
   * A request as it was sent and as every step after the signature check reads it.
   *
   * @param sent the request as it arrived: what the client signed
   * @param pathStyle the same request with the bucket as the path's first segment: {@code sent}
   *     itself for a path-style request
   * @param hostBucket the bucket named by the {@code Host}, or null for a path-style request
   */
  record Addressed(IncomingRequest sent, IncomingRequest pathStyle, @Nullable String hostBucket) {

    /** Whether the bucket came from the {@code Host}: then the gateway's own endpoints are not. */
    boolean virtualHosted() {
      return hostBucket != null;
    }
  }

  /** A {@code Host} naming a bucket under a configured domain that is no valid bucket name. */
  static final class InvalidBucket extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidBucket(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Decides a request's addressing.
   *
   * @throws InvalidBucket the host is {@code <label>.<domain>} but the label is no S3 bucket name
   */
  Addressed of(IncomingRequest sent) throws InvalidBucket {
    String host = host(sent.header("host"));
    if (host != null) {
      for (String domain : domains) {
        if (host.length() > domain.length() + 1 && host.endsWith("." + domain)) {
          String bucket = host.substring(0, host.length() - domain.length() - 1);
          if (!validBucket(bucket)) {
            throw new InvalidBucket(
                "the host "
                    + host
                    + " names the bucket '"
                    + bucket
                    + "', which is not a valid bucket name (3-63 lowercase letters, digits, dots"
                    + " and hyphens)");
          }
          // The key is the whole path as sent: "/k" is key "k", "//k" is key "/k", "/" none.
          IncomingRequest pathStyle =
              new IncomingRequest(
                  sent.method(), "/" + bucket + sent.rawPath(), sent.rawQuery(), sent.headers());
          return new Addressed(sent, pathStyle, bucket);
        }
      }
    }
    return new Addressed(sent, sent, null);
  }

  /** The host name of a {@code Host} header, lowercase, without port or trailing dot. */
  private static @Nullable String host(@Nullable String header) {
    if (header == null || header.startsWith("[")) {
      return null; // none, or an IPv6 literal: never a bucket's host
    }
    String host = header.trim().toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private static boolean validBucket(String bucket) {
    return BUCKET.matcher(bucket).matches()
        && !bucket.contains("..")
        && !bucket.contains(".-")
        && !bucket.contains("-.")
        && !IPV4.matcher(bucket).matches();
  }
}
