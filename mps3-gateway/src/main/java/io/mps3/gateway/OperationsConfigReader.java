package io.mps3.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads the {@code rateLimit} and {@code audit} sections of the config file, with the line of each
 * problem in its error (through {@link YamlSection}):
 *
 * <pre>{@code
 * rateLimit:
 *   requestsPerSecond: 20    # the refill rate per caller, may be below 1
 *   burst: 40                # how many at once after a pause
 *   maxInFlight: 64          # requests of one caller in progress at once (the default)
 *   sts:                     # optional: STS requests per client address
 *     requestsPerSecond: 1
 *     burst: 20
 * audit:
 *   file: audit.jsonl        # relative to the config's directory; or "stderr"
 * }</pre>
 */
final class OperationsConfigReader {

  /** The top-level options this reader owns. */
  static final Set<String> SECTIONS = Set.of("rateLimit", "audit");

  private OperationsConfigReader() {}

  static OperationsConfig read(YamlSection root, Path baseDirectory) {
    OperationsConfig.RateLimit rateLimit = null;
    OperationsConfig.RateLimit stsRateLimit = null;
    int maxInFlight = OperationsConfig.DEFAULT_MAX_IN_FLIGHT;
    if (root.has("rateLimit")) {
      YamlSection section = root.section("rateLimit");
      section.allowOnly(Set.of("requestsPerSecond", "burst", "sts", "maxInFlight"));
      if (section.has("requestsPerSecond") || section.has("burst")) {
        rateLimit = rateLimit(section);
      } else if (!section.has("sts") && !section.has("maxInFlight")) {
        rateLimit = rateLimit(section); // names the missing requestsPerSecond
      }
      if (section.has("maxInFlight")) {
        double max = number(section, "maxInFlight");
        if (max != Math.rint(max) || max < 1 || max > 100_000) {
          throw section.error(
              "maxInFlight", section.name("maxInFlight") + " must be a whole number, 1 or more");
        }
        maxInFlight = (int) max;
      }
      if (section.has("sts")) {
        YamlSection sts = section.section("sts");
        sts.allowOnly(Set.of("requestsPerSecond", "burst"));
        stsRateLimit = rateLimit(sts);
      }
    }
    OperationsConfig.Audit audit = OperationsConfig.NONE.audit();
    if (root.has("audit")) {
      YamlSection section = root.section("audit");
      section.allowOnly(Set.of("file"));
      String file = section.string("file");
      if (file.equals("stderr")) {
        audit = new OperationsConfig.Audit(OperationsConfig.Audit.Target.STDERR, null);
      } else {
        Path path = baseDirectory.resolve(file).toAbsolutePath();
        Path directory = path.getParent();
        // Checked here so that the error names the line; the gateway opens the file at start.
        if (directory == null || !Files.isDirectory(directory) || Files.isDirectory(path)) {
          throw section.error(
              "file", "audit.file must be a file in an existing directory, not " + path);
        }
        audit = new OperationsConfig.Audit(OperationsConfig.Audit.Target.FILE, path);
      }
    }
    return new OperationsConfig(rateLimit, stsRateLimit, maxInFlight, audit);
  }

  private static OperationsConfig.RateLimit rateLimit(YamlSection section) {
    double rate = number(section, "requestsPerSecond");
    double burst = section.has("burst") ? number(section, "burst") : Math.max(1, Math.ceil(rate));
    if (burst != Math.rint(burst) || burst < 1 || burst > 1_000_000) {
      throw section.error("burst", section.name("burst") + " must be a whole number, 1 or more");
    }
    return new OperationsConfig.RateLimit(rate, (int) burst);
  }

  private static double number(YamlSection section, String key) {
    String text = section.string(key);
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw section.error(
          key, section.name(key) + " must be a positive number, not '" + text + "'");
    }
    return value;
  }
}
