package io.mps3.store;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bucket's CORS rules, as GetBucketCors answers them: whether browsers may use the bucket.
 *
 * @param rules the rules, in order
 * @since 0.1
 */
public record CorsRules(List<Rule> rules) {

  /** The methods and exposed headers a browser running the JavaScript MPS3 client needs. */
  public static final List<String> NEEDED_METHODS = List.of("GET", "PUT", "DELETE");

  /** Response headers the JavaScript client reads. */
  public static final List<String> NEEDED_EXPOSED_HEADERS =
      List.of("ETag", "X-Amz-Version-Id", "Date");

  /** The rule to add when a bucket has none that fits, as S3's XML. */
  public static final String SUGGESTED_RULE =
      "<CORSConfiguration><CORSRule>"
          + "<AllowedOrigin>https://your.app.example</AllowedOrigin>"
          + "<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
          + "<AllowedMethod>DELETE</AllowedMethod><AllowedHeader>*</AllowedHeader>"
          + "<ExposeHeader>ETag</ExposeHeader><ExposeHeader>X-Amz-Version-Id</ExposeHeader>"
          + "<ExposeHeader>Date</ExposeHeader>"
          + "</CORSRule></CORSConfiguration>";

  /**
   * Copies the list.
   *
   * @param rules the bucket's CORS rules, in the order S3 gave them; empty when it has none
   */
  public CorsRules {
    rules = List.copyOf(rules);
  }

  /**
   * One rule.
   *
   * @param allowedOrigins origins, {@code *} for any
   * @param allowedMethods HTTP methods
   * @param allowedHeaders request headers, {@code *} for any
   * @param exposeHeaders response headers a browser script may read
   */
  public record Rule(
      List<String> allowedOrigins,
      List<String> allowedMethods,
      List<String> allowedHeaders,
      List<String> exposeHeaders) {

    /**
     * Copies the lists.
     *
     * @param allowedOrigins origins, {@code *} for any
     * @param allowedMethods HTTP methods
     * @param allowedHeaders request headers, {@code *} for any
     * @param exposeHeaders response headers a browser script may read
     */
    public Rule {
      allowedOrigins = List.copyOf(allowedOrigins);
      allowedMethods = List.copyOf(allowedMethods);
      allowedHeaders = List.copyOf(allowedHeaders);
      exposeHeaders = List.copyOf(exposeHeaders);
    }

    /** {@return whether this rule lets browsers of its origins run the JavaScript client} */
    public boolean servesBrowserClients() {
      return containsAll(allowedMethods, NEEDED_METHODS)
          && containsAll(exposeHeaders, NEEDED_EXPOSED_HEADERS)
          && !allowedOrigins.isEmpty();
    }
  }

  /**
   * {@return the rules of a GetBucketCors answer, each given as its elements' texts by element name
   * ({@code AllowedOrigin}, {@code AllowedMethod}, {@code AllowedHeader}, {@code ExposeHeader})}
   */
  static CorsRules fromElements(List<Map<String, List<String>>> rules) {
    return new CorsRules(
        rules.stream()
            .map(
                r ->
                    new Rule(
                        r.getOrDefault("AllowedOrigin", List.of()),
                        r.getOrDefault("AllowedMethod", List.of()),
                        r.getOrDefault("AllowedHeader", List.of()),
                        r.getOrDefault("ExposeHeader", List.of())))
            .toList());
  }

  /** {@return whether some rule lets browsers run the JavaScript MPS3 client} */
  public boolean servesBrowserClients() {
    return rules.stream().anyMatch(Rule::servesBrowserClients);
  }

  private static boolean containsAll(List<String> have, List<String> need) {
    List<String> lower = have.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    return need.stream()
        .allMatch(n -> lower.contains(n.toLowerCase(Locale.ROOT)) || lower.contains("*"));
  }
}
