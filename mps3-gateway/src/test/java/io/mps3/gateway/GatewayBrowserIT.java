package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mps3.spi.GetResult;
import io.mps3.spi.PutOptions;
import io.mps3.testkit.Chromium;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The gateway from a real browser, as a web app uses it: headless Chromium (Debian's, driven by
 * Selenium) loads a page served by this test from another origin, which exchanges an ID token from
 * the issuer at the gateway's STS and then puts, gets and lists through the gateway across origins,
 * signing with {@code aws4fetch} from npm (installed by this test into {@code target/}). What the
 * page wrote is read back from S3Proxy directly. One browser, one page server and one fixture (with
 * a second gateway that allows the page's origin) for the class.
 */
class GatewayBrowserIT {

  private static final String AWS4FETCH = "aws4fetch@1.0.20";
  private static final Path NPM_DIR = Path.of("target", "aws4fetch").toAbsolutePath();
  private static final Path AWS4FETCH_JS =
      NPM_DIR.resolve("node_modules/aws4fetch/dist/aws4fetch.esm.js");

  /** Selenium warns that it has no DevTools of Chromium's version (not used); held, see below. */
  private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

  @TempDir static Path dir;
  private static HttpServer pages;
  private static GatewayFixture f;
  private static Gateway gateway;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    SELENIUM.setLevel(Level.SEVERE);
    CompletableFuture<Void> tools =
        CompletableFuture.runAsync(
            () -> {
              try {
                Chromium.install();
                installAws4fetch();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    // 127.0.0.1 itself, not whatever the loopback name resolves to: it is in the page's origin.
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    pages = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    pages.createContext("/", exchange -> serve(exchange.getRequestURI().getPath(), exchange));
    pages.start();
    String origin = "http://127.0.0.1:" + pages.getAddress().getPort();
    f = GatewayFixture.start(dir);
    // A second gateway on the fixture's config (same issuer, store and sealing key), allowing the
    // page's origin: the port is only known now.
    String config = Files.readString(dir.resolve("gateway.yaml"));
    String origins = "allowedOrigins: [http://app.example]";
    assertThat(config).as("the fixture's config").contains(origins);
    Path browserConfig = dir.resolve("gateway-browser.yaml");
    Files.writeString(browserConfig, config.replace(origins, "allowedOrigins: [" + origin + "]"));
    gateway = Gateway.start(browserConfig);
    tools.join();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(Chromium.BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(Chromium.DRIVER.toFile())
                .usingAnyFreePort()
                .build(),
            options);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    browser.get(origin + "/app.html");
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(b -> Boolean.TRUE.equals(browser.executeScript("return window.ready === true")));
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (pages != null) {
        pages.stop(0);
      }
      if (gateway != null) {
        gateway.close();
      }
      if (f != null) {
        f.close();
      }
    }
  }

  @Test
  void aPage_getsCredentialsFromTheSts_thenPutsGetsAndListsThroughTheGatewayWithCors() {
    String theirs = "users/bob/for ada.txt";
    String mine = "users/ada/from the browser.txt";
    String body = "written by the page, signed by aws4fetch: ü";
    f.direct
        .put(
            GatewayFixture.BUCKET,
            theirs,
            "put by the test".getBytes(StandardCharsets.UTF_8),
            PutOptions.unconditional())
        .join();
    Map<String, Object> args =
        Map.of(
            "gateway",
            gateway.endpoint().toString(),
            "role",
            GatewayFixture.ROLE,
            "token",
            f.token("ada", "mps3-app", List.of(), 3600),
            "bucket",
            GatewayFixture.BUCKET,
            "mine",
            mine,
            "body",
            body,
            "theirs",
            theirs,
            "prefix",
            "users/");

    @SuppressWarnings("unchecked")
    Map<String, Object> seen =
        (Map<String, Object>)
            Objects.requireNonNull(
                browser.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "window.scenario(arguments[0]).then(done, e => done({error: String(e)}));",
                    args),
                "the page's answer");

    assertThat(seen)
        .as("what the page saw")
        .containsEntry("sts", 200L)
        .containsEntry("put", 200L)
        .containsEntry("get", 200L)
        .containsEntry("got", "put by the test")
        .containsEntry("list", 200L)
        .containsEntry("keys", List.of(mine, theirs))
        .containsEntry("denied", 403L)
        .containsEntry("deniedCode", "AccessDenied");
    GetResult.Found stored = (GetResult.Found) f.direct.get(GatewayFixture.BUCKET, mine).join();
    assertThat(new String(stored.object().body(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(seen.get("etag"))
        .as("ETag exposed to the page")
        .isEqualTo('"' + stored.object().metadata().etag() + '"');
    GetResult.Found untouched =
        (GetResult.Found) f.direct.get(GatewayFixture.BUCKET, theirs).join();
    assertThat(new String(untouched.object().body(), StandardCharsets.UTF_8))
        .isEqualTo("put by the test");
  }

  /** The page and aws4fetch's ES module; anything else is 404. */
  private static void serve(String path, HttpExchange exchange) throws IOException {
    byte[] content;
    String type;
    if (path.equals("/app.html")) {
      try (InputStream page =
          Objects.requireNonNull(
              GatewayBrowserIT.class.getResourceAsStream("browser-app.html"), "browser-app.html")) {
        content = page.readAllBytes();
      }
      type = "text/html; charset=utf-8";
    } else if (path.equals("/aws4fetch.esm.js")) {
      content = Files.readAllBytes(AWS4FETCH_JS);
      type = "text/javascript; charset=utf-8";
    } else {
      content = new byte[0];
      type = "text/plain";
    }
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(
        content.length == 0 ? 404 : 200, content.length == 0 ? -1 : content.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(content);
    }
  }

  /**
   * {@code npm install} of aws4fetch into {@code target/aws4fetch}, unless an earlier run did; from
   * the npm registry as npm is set up here.
   */
  private static void installAws4fetch() throws IOException, InterruptedException {
    if (Files.isRegularFile(AWS4FETCH_JS)) {
      return;
    }
    Files.createDirectories(NPM_DIR);
    Path log = NPM_DIR.resolve("npm-install.log");
    List<String> command =
        List.of(
            "npm",
            "install",
            "--no-save",
            "--no-package-lock",
            "--prefix",
            NPM_DIR.toString(),
            AWS4FETCH);
    Process npm =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = npm.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      npm.destroyForcibly();
    }
    if (!ended || npm.exitValue() != 0 || !Files.isRegularFile(AWS4FETCH_JS)) {
      throw new AssertionError(
          "the browser test needs "
              + AWS4FETCH
              + " from npm, and `"
              + String.join(" ", command)
              + "` "
              + (ended ? "exited with " + npm.exitValue() : "did not end in 5 minutes")
              + " without "
              + AWS4FETCH_JS
              + "; its output is in "
              + log);
    }
  }
}
