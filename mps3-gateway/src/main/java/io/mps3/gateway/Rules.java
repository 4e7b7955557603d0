package io.mps3.gateway;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The allow rules: CEL expressions over the caller and the request, compiled once at start. A
 * request passes when any rule's expression is {@code true}; none true, or none that evaluates (a
 * missing claim is an error in CEL), means denied. The variables:
 *
 * <ul>
 *   <li>{@code claims}: the sealed ID-token claims ({@code claims.sub}, {@code claims.iss}, {@code
 *       claims.aud}, and those listed in {@code sts.sessionClaims}, such as {@code claims.roles});
 *   <li>{@code request}: {@code request.operation} (the S3 API name, {@code GetObject}, {@code
 *       PutObject}, {@code ListObjectsV2}, ...), {@code request.bucket}, {@code request.key} (empty
 *       for bucket operations), {@code request.prefix} (a listing's prefix, else empty), {@code
 *       request.manifest} (the manifest whose log object the key is, else empty; {@code
 *       request.operation} is {@code write} when the gateway asks about one document key a manifest
 *       write changes);
 *   <li>{@code session}: {@code session.role} (the assumed role ARN) and {@code session.name}.
 * </ul>
 *
 * <p>Thread-safe: CEL programs are immutable.
 */
final class Rules {

  private static final System.Logger LOG = System.getLogger(Rules.class.getName());

  private static final Cel CEL =
      CelFactory.legacyCelBuilder()
          .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("request", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .addVar("session", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .setResultType(SimpleType.BOOL)
          .build();

  /**
   * A rule's verdict.
   *
   * @param allowed whether some rule allowed the request
   * @param rule the allowing rule's name, empty when denied
   */
  record Decision(boolean allowed, String rule) {}

  private record Compiled(String name, CelRuntime.Program program) {}

  private final List<Compiled> rules;

  /**
   * Decisions already made. A decision depends on nothing but the rules (fixed for this object's
   * life: a changed config is a new gateway) and the variables, which come from the session and the
   * request; CEL here has no clock and no side effects. So a request asking what an earlier one of
   * the same session asked gets the same answer without evaluating CEL again (a client reads and
   * writes the same few keys). Denials are remembered as well as allowances.
   */
  private final RecentValues<Asked, Decision> decided = new RecentValues<>(4096);

  private Rules(List<Compiled> rules) {
    this.rules = rules;
  }

  /**
   * What a decision is asked about: exactly what {@link #variables} reads. The session is compared
   * by identity: the sealer hands out one object per token it opened, and hashing its claims on
   * every request would cost much of what is saved.
   */
  private static final class Asked {
    private final Session session;
    private final String operation;
    private final String bucket;
    private final String key;
    private final String prefix;
    private final String manifest;
    private final int hash;

    Asked(Session session, S3Operation operation, String manifest) {
      this.session = session;
      this.operation = operation.name();
      this.bucket = operation.bucket();
      this.key = operation.key();
      this.prefix = operation.prefix();
      this.manifest = manifest;
      this.hash =
          Objects.hash(
              System.identityHashCode(session), this.operation, bucket, key, prefix, manifest);
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // the session by identity: see the class comment
    public boolean equals(@Nullable Object other) {
      return other instanceof Asked that
          && session == that.session
          && operation.equals(that.operation)
          && bucket.equals(that.bucket)
          && key.equals(that.key)
          && prefix.equals(that.prefix)
          && manifest.equals(that.manifest);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * Compiles a config's rules.
   *
   * @throws GatewayConfigException naming the config file, the rule's line and CEL's complaint
   */
  static Rules compile(GatewayConfig config) {
    List<Compiled> out = new ArrayList<>();
    for (GatewayConfig.Rule rule : config.rules()) {
      try {
        CelAbstractSyntaxTree ast = CEL.compile(rule.allow()).getAst();
        out.add(new Compiled(rule.name(), CEL.createProgram(ast)));
      } catch (CelValidationException | CelEvaluationException e) {
        throw new GatewayConfigException(
            config.source()
                + " line "
                + rule.line()
                + ": rule '"
                + rule.name()
                + "' is not valid CEL: "
                + e.getMessage(),
            e);
      }
    }
    return new Rules(List.copyOf(out));
  }

  /**
   * Loads CEL's environment and compiles a trivial rule, so that a config compiled next goes faster
   * (tests overlap this with starting their servers).
   *
   * @return whether CEL compiled the trivial rule
   */
  static boolean warmUp() {
    return !CEL.compile("true").hasError();
  }

  /** Decides a request of a caller, on no manifest's object. */
  Decision decide(Session session, S3Operation operation) {
    return decide(session, operation, "");
  }

  /**
   * Decides a request of a caller.
   *
   * @param manifest the manifest whose object or document the request names ({@code
   *     request.manifest}), empty for none
   */
  Decision decide(Session session, S3Operation operation, String manifest) {
    Asked asked = new Asked(session, operation, manifest);
    Decision known = decided.get(asked);
    if (known != null) {
      return known;
    }
    Decision decision = evaluate(session, operation, manifest);
    decided.put(asked, decision);
    return decision;
  }

  private Decision evaluate(Session session, S3Operation operation, String manifest) {
    CelVariableResolver variables = variables(session, operation, manifest);
    for (Compiled rule : rules) {
      try {
        if (Boolean.TRUE.equals(rule.program().eval(variables))) {
          return new Decision(true, rule.name());
        }
      } catch (CelEvaluationException e) {
        LOG.log(Level.DEBUG, () -> "rule " + rule.name() + " did not evaluate: " + e.getMessage());
      }
    }
    return new Decision(false, "");
  }

  /** Whether the rule named {@code name} (alone) allows a request: a trusted-role check. */
  boolean allows(String name, Session session, S3Operation operation, String manifest) {
    CelVariableResolver variables = variables(session, operation, manifest);
    for (Compiled rule : rules) {
      try {
        if (rule.name().equals(name) && Boolean.TRUE.equals(rule.program().eval(variables))) {
          return true;
        }
      } catch (CelEvaluationException e) {
        LOG.log(Level.DEBUG, () -> "rule " + rule.name() + " did not evaluate: " + e.getMessage());
      }
    }
    return false;
  }

  /**
   * The variables, as a resolver rather than a map: CEL copies a map of variables into an immutable
   * one on every evaluation.
   */
  private static CelVariableResolver variables(
      Session session, S3Operation operation, String manifest) {
    Optional<Object> claims = Optional.of(celValue(session.claims()));
    Optional<Object> request =
        Optional.of(
            Map.of(
                "operation", operation.name(),
                "bucket", operation.bucket(),
                "key", operation.key(),
                "prefix", operation.prefix(),
                "manifest", manifest));
    Optional<Object> sessionValue =
        Optional.of(Map.of("role", session.role(), "name", session.sessionName()));
    return name ->
        switch (name) {
          case "claims" -> claims;
          case "request" -> request;
          case "session" -> sessionValue;
          default -> Optional.empty();
        };
  }

  /** A JSON value as CEL's runtime takes it: integers as long, decimals as double. */
  private static Object celValue(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        out.add(celValue(item));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.put(entry.getKey(), celValue(entry.getValue()));
      }
      return out;
    }
    return value;
  }
}
