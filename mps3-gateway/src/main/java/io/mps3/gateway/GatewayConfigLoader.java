package io.mps3.gateway;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a gateway config file (YAML) into a {@link GatewayConfig}, failing with a {@link
 * GatewayConfigException} that names the line and the problem. Secrets are never written in the
 * file itself: they are references, {@code env:NAME} (an environment variable) or {@code file:PATH}
 * (a file, relative to the config file's directory), resolved here.
 */
final class GatewayConfigLoader {

  private static final Set<String> ROOT =
      Set.of(
          "listen",
          "region",
          "clockSkew",
          "sts",
          "issuers",
          "upstream",
          "rules",
          "cors",
          "validation",
          "tls",
          Addressing.OPTION);

  private final String source;
  private final Path baseDirectory;
  private final Map<String, String> environment;

  private GatewayConfigLoader(String source, Path baseDirectory, Map<String, String> environment) {
    this.source = source;
    this.baseDirectory = baseDirectory;
    this.environment = environment;
  }

  /** Reads a config file; secrets from the process environment. */
  static GatewayConfig load(Path file) {
    return load(file, System.getenv());
  }

  static GatewayConfig load(Path file, Map<String, String> environment) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GatewayConfigException("cannot read the gateway config " + file + ": " + e, e);
    }
    Path parent = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), parent == null ? Path.of(".") : parent, environment);
  }

  static GatewayConfig parse(
      String text, String source, Path baseDirectory, Map<String, String> environment) {
    return new GatewayConfigLoader(source, baseDirectory, environment).parse(text);
  }

  private GatewayConfig parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    Node node;
    try {
      node = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new GatewayConfigException(
          source + " line " + line + ": not valid YAML: " + e.getProblem(), e);
    } catch (YAMLException e) {
      throw new GatewayConfigException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (node == null) {
      throw new GatewayConfigException(source + " line 1: the file is empty");
    }
    YamlSection root = YamlSection.root(source, node);
    root.allowOnly(
        java.util.stream.Stream.concat(ROOT.stream(), OperationsConfigReader.SECTIONS.stream())
            .collect(java.util.stream.Collectors.toSet()));
    String listen = root.string("listen", "127.0.0.1:8080");
    int colon = listen.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (colon <= 0 || port < 0 || port > 65535) {
      throw root.error("listen", "listen must be host:port (port 0 for a free one), not " + listen);
    }
    List<GatewayConfig.Issuer> issuers = issuers(root);
    return new GatewayConfig(
        source,
        listen.substring(0, colon),
        port,
        root.string("region", "us-east-1"),
        root.duration("clockSkew", Duration.ofMinutes(15)),
        sts(root.section("sts"), issuers),
        issuers,
        upstream(root.section("upstream")),
        rules(root),
        cors(root),
        OperationsConfigReader.read(root, baseDirectory),
        ManifestValidationConfig.parse(
            root, rules(root).stream().map(GatewayConfig.Rule::name).collect(Collectors.toSet())),
        TlsConfig.parse(root, baseDirectory, this::secret),
        Addressing.parse(root));
  }

  private GatewayConfig.Sts sts(YamlSection sts, List<GatewayConfig.Issuer> issuers) {
    sts.allowOnly(
        Set.of("roleArns", "maxSessionDuration", "sessionClaims", "sealingKeys", "revoked"));
    List<String> roles = sts.strings("roleArns");
    for (String role : roles) {
      if (!role.matches("arn:[^:]+:iam::[^:]*:role/.+")) {
        throw sts.error("roleArns", "not a role ARN (arn:aws:iam::ACCOUNT:role/NAME): " + role);
      }
    }
    Duration max = sts.duration("maxSessionDuration", Duration.ofHours(1));
    if (max.compareTo(Duration.ofMinutes(15)) < 0 || max.compareTo(Duration.ofHours(12)) > 0) {
      throw sts.error("maxSessionDuration", "sts.maxSessionDuration must be within 15m and 12h");
    }
    List<GatewayConfig.SealingKey> keys = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (YamlSection key : sts.sections("sealingKeys")) {
      key.allowOnly(Set.of("id", "secret"));
      String id = key.string("id");
      if (!id.matches("[A-Za-z0-9_-]{1,16}") || !ids.add(id)) {
        throw key.error("id", key.name("id") + " must be 1-16 letters, digits, - or _, unique");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(secret(key, "secret").trim());
      } catch (IllegalArgumentException e) {
        bytes = new byte[0];
      }
      if (bytes.length != 32) {
        throw key.error(
            "secret",
            key.name("secret") + " must hold 32 bytes in base64 (openssl rand -base64 32)");
      }
      keys.add(new GatewayConfig.SealingKey(id, new SecretKeySpec(bytes, "AES")));
    }
    if (keys.isEmpty()) {
      throw sts.error("sealingKeys", "sts.sealingKeys needs at least one key");
    }
    List<Revocations.Revoked> revoked = new ArrayList<>();
    if (sts.has("revoked")) {
      for (YamlSection identity : sts.sections("revoked")) {
        identity.allowOnly(Set.of("subject", "issuer"));
        String issuer = identity.optionalString("issuer");
        // A mistyped issuer would revoke nobody: it must name a configured one exactly.
        if (issuer != null && issuers.stream().noneMatch(i -> i.issuer().equals(issuer))) {
          throw identity.error(
              "issuer", identity.name("issuer") + " is none of the issuers: " + issuer);
        }
        revoked.add(new Revocations.Revoked(identity.string("subject"), issuer));
      }
    }
    return new GatewayConfig.Sts(
        roles,
        max,
        sts.strings("sessionClaims", List.of()),
        List.copyOf(keys),
        List.copyOf(revoked));
  }

  private List<GatewayConfig.Issuer> issuers(YamlSection root) {
    List<GatewayConfig.Issuer> out = new ArrayList<>();
    for (YamlSection issuer : root.sections("issuers")) {
      issuer.allowOnly(Set.of("issuer", "audiences", "jwksUri", "algorithms"));
      String jwks = issuer.optionalString("jwksUri");
      out.add(
          new GatewayConfig.Issuer(
              url(issuer, "issuer", issuer.string("issuer")).toString(),
              issuer.strings("audiences"),
              jwks == null ? null : url(issuer, "jwksUri", jwks),
              issuer.strings("algorithms", List.of("RS256", "ES256"))));
    }
    if (out.isEmpty()) {
      throw root.error("issuers", "issuers needs at least one issuer");
    }
    return List.copyOf(out);
  }

  private GatewayConfig.Upstream upstream(YamlSection upstream) {
    upstream.allowOnly(
        Set.of("endpoint", "region", "accessKeyId", "secretAccessKey", "trustedCertificates"));
    URI endpoint = url(upstream, "endpoint", upstream.string("endpoint"));
    if (endpoint.getRawPath() != null
        && !endpoint.getRawPath().isEmpty()
        && !endpoint.getRawPath().equals("/")) {
      throw upstream.error("endpoint", "upstream.endpoint must have no path: " + endpoint);
    }
    return new GatewayConfig.Upstream(
        endpoint,
        upstream.string("region", "us-east-1"),
        upstream.string("accessKeyId"),
        secret(upstream, "secretAccessKey"),
        UpstreamTrust.read(upstream, endpoint, baseDirectory));
  }

  private List<GatewayConfig.Rule> rules(YamlSection root) {
    List<GatewayConfig.Rule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlSection rule : root.sections("rules")) {
      rule.allowOnly(Set.of("name", "allow"));
      String name = rule.string("name");
      if (!names.add(name)) {
        throw rule.error("name", "two rules are called '" + name + "'");
      }
      out.add(new GatewayConfig.Rule(name, rule.string("allow"), rule.line("allow")));
    }
    if (out.isEmpty()) {
      throw root.error("rules", "rules needs at least one rule (allow: 'true' lets every caller)");
    }
    return List.copyOf(out);
  }

  private GatewayConfig.Cors cors(YamlSection root) {
    if (!root.has("cors")) {
      return new GatewayConfig.Cors(List.of(), Duration.ofMinutes(10));
    }
    YamlSection cors = root.section("cors");
    cors.allowOnly(Set.of("allowedOrigins", "maxAge"));
    return new GatewayConfig.Cors(
        cors.strings("allowedOrigins"), cors.duration("maxAge", Duration.ofMinutes(10)));
  }

  private URI url(YamlSection section, String key, String text) {
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new URISyntaxException(text, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw section.error(key, section.name(key) + " must be an http(s) URL: " + e.getMessage());
    }
  }

  /** Resolves a secret reference; the error names the reference, never the value. */
  private String secret(YamlSection section, String key) {
    String reference = section.string(key);
    if (reference.startsWith("env:")) {
      String value = environment.get(reference.substring(4));
      if (value == null || value.isBlank()) {
        throw section.error(
            key,
            section.name(key) + ": environment variable " + reference.substring(4) + " is not set");
      }
      return value.trim();
    }
    if (reference.startsWith("file:")) {
      Path file = baseDirectory.resolve(reference.substring(5));
      try {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw section.error(key, section.name(key) + ": cannot read " + file + ": " + e);
      }
    }
    throw section.error(
        key,
        section.name(key)
            + " must be a reference, env:NAME or file:PATH (secrets are not written in the file)");
  }
}
