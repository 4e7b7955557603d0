package io.mps3.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The audit log: one JSON line per decision the gateway takes on an S3 request (who, what, which
 * rule, allowed or not). It holds names only: never a token, secret, signature or body, because its
 * entries are built from the sealed session's identity and the classified request, not from the
 * request's headers. Lines are written whole and flushed one by one. Thread-safe.
 */
final class AuditLog implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One decision.
   *
   * @param time when it was taken
   * @param issuer the caller's ID-token issuer, empty when the caller is not known (no valid
   *     signature)
   * @param subject the caller's {@code sub}, empty when not known
   * @param operation the request as classified
   * @param manifest the manifest the key belongs to, null when not known
   * @param decision {@code allowed}, {@code denied}, {@code throttled}, {@code unsupported}, {@code
   *     rejected} or {@code failed} (the store did not answer, or its answer broke off)
   * @param rule the allowing rule, empty otherwise
   * @param reason why a request was refused, empty when allowed
   * @param status the status answered (the store's for an allowed request), 0 if none
   */
  record Entry(
      Instant time,
      String issuer,
      String subject,
      S3Operation operation,
      @Nullable String manifest,
      String decision,
      String rule,
      String reason,
      int status) {}

  private final @Nullable OutputStream out;
  private final boolean ownsStream;

  private AuditLog(@Nullable OutputStream out, boolean ownsStream) {
    this.out = out;
    this.ownsStream = ownsStream;
  }

  /**
   * Opens the configured destination; a file is created or appended to.
   *
   * @throws GatewayConfigException when the file cannot be opened
   */
  static AuditLog open(OperationsConfig.Audit config) {
    return switch (config.target()) {
      case OFF -> new AuditLog(null, false);
      case STDERR -> new AuditLog(System.err, false);
      case FILE -> {
        Path file = Objects.requireNonNull(config.file(), "file");
        try {
          yield new AuditLog(
              Files.newOutputStream(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND,
                  StandardOpenOption.WRITE),
              true);
        } catch (IOException e) {
          throw new GatewayConfigException("cannot open the audit log " + file + ": " + e, e);
        }
      }
    };
  }

  /** Writes one entry as a line; a failing destination is logged, not thrown at the caller. */
  void write(Entry entry) {
    if (out == null) {
      return;
    }
    byte[] line = line(entry);
    synchronized (this) {
      try {
        out.write(line);
        out.flush();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot write the audit log: " + e);
      }
    }
  }

  static byte[] line(Entry entry) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(buffer)) {
      json.writeStartObject();
      json.writeStringField("time", entry.time().toString());
      json.writeStringField("issuer", entry.issuer());
      json.writeStringField("subject", entry.subject());
      json.writeStringField("operation", entry.operation().name());
      json.writeStringField("bucket", entry.operation().bucket());
      json.writeStringField("key", entry.operation().key());
      if (!entry.operation().prefix().isEmpty()) {
        json.writeStringField("prefix", entry.operation().prefix());
      }
      if (entry.manifest() != null) {
        json.writeStringField("manifest", entry.manifest());
      }
      json.writeStringField("decision", entry.decision());
      json.writeStringField("rule", entry.rule());
      if (!entry.reason().isEmpty()) {
        json.writeStringField("reason", entry.reason());
      }
      if (entry.status() != 0) {
        json.writeNumberField("status", entry.status());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.write('\n');
    return buffer.toByteArray();
  }

  @Override
  public synchronized void close() {
    if (ownsStream && out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot close the audit log: " + e);
      }
    }
  }
}
