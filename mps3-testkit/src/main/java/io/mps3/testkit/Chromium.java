package io.mps3.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium} and {@code chromium-driver} for the browser tests (the console's, the
 * gateway's), installed with apt-get when missing, as tools/ceph-rgw.sh installs Ceph (the tests
 * run as root). A failed install fails the test with the reason: the browser tests are never
 * skipped. Selenium is the tests' own dependency, not the testkit's: this class only installs and
 * names the programs.
 */
public final class Chromium {

  /** The browser. */
  public static final Path BROWSER = Path.of("/usr/bin/chromium");

  /** Its WebDriver, for Selenium's {@code ChromeDriverService}. */
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /**
   * Installs both packages unless both programs are there; the log goes to {@code
   * target/chromium-install.log}.
   *
   * @throws AssertionError when the install fails, naming the command and the log
   * @throws IOException when the log cannot be written
   * @throws InterruptedException when interrupted while apt-get runs
   */
  public static synchronized void install() throws IOException, InterruptedException {
    if (installed()) {
      return;
    }
    Path log = Path.of("target", "chromium-install.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    if (!hasPackageLists()) {
      apt(log, List.of("apt-get", "update"));
    }
    // Another install (a second build, Ceph's) may hold dpkg's lock: wait for it, within reason.
    apt(
        log,
        List.of(
            "apt-get",
            "install",
            "-y",
            "-o",
            "DPkg::Lock::Timeout=300",
            "chromium",
            "chromium-driver"));
    if (!installed()) {
      throw new AssertionError(
          "apt-get installed chromium and chromium-driver, but "
              + BROWSER
              + " or "
              + DRIVER
              + " is still missing; see "
              + log);
    }
  }

  private static boolean installed() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  private static boolean hasPackageLists() throws IOException {
    Path lists = Path.of("/var/lib/apt/lists");
    if (!Files.isDirectory(lists)) {
      return false;
    }
    try (Stream<Path> files = Files.list(lists)) {
      return files.anyMatch(
          f ->
              !f.getFileName().toString().equals("lock")
                  && !f.getFileName().toString().equals("partial"));
    }
  }

  private static void apt(Path log, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          failure(command, "it could not start (" + e.getMessage() + ")", log));
    }
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(failure(command, "it did not end in 15 minutes", log));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          failure(command, "it exited with " + process.exitValue() + " (root? online?)", log));
    }
  }

  private static String failure(List<String> command, String why, Path log) {
    return "the browser tests need Debian's chromium and chromium-driver, and `"
        + String.join(" ", command)
        + "` failed: "
        + why
        + "; its output is in "
        + log
        + ". Install them as root (apt-get install -y chromium chromium-driver) and run the tests"
        + " again.";
  }
}
