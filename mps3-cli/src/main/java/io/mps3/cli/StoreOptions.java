package io.mps3.cli;

import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.store.S3ObjectStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the data lives: options every subcommand takes. */
final class StoreOptions {

  /** The command these options are part of: its run's {@link CliContext}. */
  @Spec(Spec.Target.MIXEE)
  @Nullable CommandSpec command;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Local directory holding the buckets (default: ${DEFAULT-VALUE}).",
      defaultValue = "mps3-data")
  Path dir = Path.of("mps3-data");

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "An S3 endpoint instead of the local directory. Credentials come from AWS_ACCESS_KEY_ID"
              + " and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).")
  @Nullable URI endpoint;

  @Option(
      names = "--bucket",
      paramLabel = "BUCKET",
      description = "The bucket (default: ${DEFAULT-VALUE}).",
      defaultValue = "mps3")
  String bucket = "mps3";

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The S3 region (default: AWS_REGION, else us-east-1).")
  @Nullable String region;

  @Option(
      names = "--path-style",
      description = "Put the bucket in the URL path (default for non-AWS endpoints).")
  boolean pathStyle;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "The deadline of each request to an S3 endpoint, e.g. 500ms, 10s, 2m (default:"
              + " ${DEFAULT-VALUE}): within it, refused or reset connections, timeouts, 5xx and"
              + " throttling are retried with backoff, so a store that restarts is waited for;"
              + " connecting gets at most 10 s a try. A store still failing at the deadline ends"
              + " the command with exit code 3 and the cause. With --strict, also how long a"
              + " write whose answer was lost is read back before it is reported unknown. No"
              + " effect on --dir.",
      defaultValue = "30s",
      converter = DurationOption.class)
  Duration timeout = Duration.ofSeconds(30);

  @Option(
      names = "--manifest",
      paramLabel = "KEY",
      description = "The manifest (default: ${DEFAULT-VALUE}).",
      defaultValue = "manifest.json")
  String manifest = "manifest.json";

  @Option(
      names = "--protocol",
      paramLabel = "causal|strict",
      description =
          "The protocol of the manifest (default: causal). strict needs atomic If-None-Match: *"
              + " creates, checked once per bucket.")
  @Nullable String protocol;

  @Option(names = "--strict", description = "The strict protocol: short for --protocol strict.")
  boolean strict;

  @Option(
      names = "--verbose",
      description =
          "Print the library's debug log (each S3 call and its outcome, retries, skipped objects)"
              + " and the stack traces of errors; never a secret or a signature.")
  boolean verbose;

  /** The protocol named by {@code --protocol} or {@code --strict}. */
  Protocol protocol() {
    String name = protocol == null ? (strict ? "strict" : "causal") : protocol;
    Protocol named =
        switch (name) {
          case "causal" -> Protocol.CAUSAL;
          case "strict" -> Protocol.STRICT;
          default -> throw new UsageException("unknown protocol '" + name + "' (causal or strict)");
        };
    if (strict && named != Protocol.STRICT) {
      throw new UsageException("--strict contradicts --protocol " + name + "; give one of them");
    }
    return named;
  }

  /** The protocol's name as the user gives it: causal or strict. */
  String protocolName() {
    return protocol() == Protocol.STRICT ? "strict" : "causal";
  }

  /** Opens the store these options name. */
  ObjectStore openStore() {
    protocol(); // a bad --protocol fails before anything is opened
    if (endpoint == null) {
      return ObjectStores.localDirectory(dir);
    }
    S3ObjectStore.Builder builder =
        S3ObjectStore.builder()
            .environment(context().variables())
            .endpoint(endpoint)
            .callTimeout(timeout);
    if (region != null) {
      builder.region(region);
    }
    if (pathStyle) {
      builder.pathStyle();
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(String.valueOf(e.getMessage())); // the builder always says why
    }
  }

  /**
   * A client of the manifest these options name, over an opened store; with a journal directory
   * when one is given (causal only: the caller refuses it with strict first).
   */
  Mps3Client client(ObjectStore store, @Nullable Path journal) {
    return client(store, journal, manifest, protocol());
  }

  /** A client of another manifest of the bucket (the console browses several). */
  Mps3Client client(
      ObjectStore store, @Nullable Path journal, String manifestKey, Protocol protocol) {
    Mps3Config.Builder config =
        Mps3Config.builder()
            .store(store)
            .bucket(bucket)
            .manifest(manifestKey)
            .pollInterval(Duration.ofMillis(200))
            .protocol(protocol);
    if (journal != null) {
      config.journal(journal);
    }
    if (protocol == Protocol.STRICT) {
      config.outageTimeout(timeout); // a write whose answer was lost is read back until then
    }
    return Mps3Client.create(config.build());
  }

  /** The context of the run: the system's unless the command runs inside another program. */
  CliContext context() {
    return command == null ? CliContext.system() : CliContext.of(command);
  }

  /** Where the data is: the local directory or the endpoint, without the bucket. */
  String store() {
    return endpoint == null ? dir.toAbsolutePath().normalize().toString() : endpoint.toString();
  }

  /** Where the data is, for messages. */
  String where() {
    return store() + ", bucket " + bucket;
  }
}
