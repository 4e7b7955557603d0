package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.testkit.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code mps3 console} in a real browser, as a user works with it: headless Chromium (Debian's,
 * driven by Selenium) on the page of a console over a local directory whose manifest is strict,
 * while the test writes through the library's API as another user would. One browser and one
 * console for the class; the methods run in order on the same page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

  /**
   * Selenium warns that it has no DevTools of Chromium's version (not used here). The commands that
   * run in this JVM send warnings to their standard error, so another test's command would print
   * it. Held here: {@code java.util.logging} keeps loggers weakly, and would forget the level.
   */
  private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

  @TempDir static Path dir;

  private static StrictClient api;
  private static ConsoleRun console;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    SELENIUM.setLevel(Level.SEVERE);
    Chromium.install();
    Path data = dir.resolve("mps3-data");
    api = StrictClient.create(Mps3Config.builder().localDirectory(data).strictProtocol().build());
    api.put(
        "users/ada",
        Map.of("name", "Ada", "languages", List.of("en", "fr"), "admin", true, "born", 1815));
    try (Mps3Client lobby =
        Mps3Client.create(
            Mps3Config.builder().localDirectory(data).manifest("rooms/lobby.json").build())) {
      lobby.put("topic", "welcome");
    }
    console = ConsoleRun.start("--dir", data.toString(), "--strict");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(Chromium.BROWSER.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Chromium.DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(console.url().toString());
    key("users/ada"); // the page has loaded the manifest through its live stream
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (console != null) {
        assertThat(console.stop()).isZero();
      }
      if (api != null) {
        api.close();
      }
    }
  }

  @Test
  @Order(1)
  void thePage_listsTheManifestsOfTheBucket_andStartsTheProbe() {
    assertThat(text("manifests")).contains("manifest.json", "rooms/lobby.json");
    assertThat(browser.findElement(By.cssSelector("#manifests li.selected")).getText())
        .contains("manifest.json", "strict");
    // The probe takes seconds: it runs while the next tests use the data view; checked last.
    browser.findElement(By.id("tab-doctor")).click();
    browser.findElement(By.id("doctor-run")).click();
    browser.findElement(By.id("tab-data")).click();
  }

  @Test
  @Order(2)
  void aPutFromTheApi_appearsOnThePage_withoutAReload() {
    browser.executeScript("window.notReloaded = true;");
    api.put("chat/1", Map.of("from", "bob", "text", "hello"));
    key("chat/1");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"), "chat/1"));
    assertThat(text("log")).contains("\"from\": \"bob\"");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded;"))
        .isEqualTo(true);
  }

  @Test
  @Order(3)
  void anEditOnThePage_isReadBackByTheApi_andBadJsonIsRefusedNamingTheProblem() throws Exception {
    key("users/ada").click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("value"), "\"Ada\""));
    browser.findElement(By.id("edit")).click();
    type("{\"name\": \"Ada Lovelace\", \"born\": 1815,}");
    browser.findElement(By.id("save")).click();
    waitForMessage("invalid JSON in the value of \"users/ada\" at line 1, column");
    assertThat(api.get("users/ada").orElseThrow().get("name").asText()).isEqualTo("Ada");

    type("{\"name\": \"Ada Lovelace\", \"born\": 1815, \"languages\": [\"en\", \"fr\", \"it\"]}");
    browser.findElement(By.id("save")).click();
    waitForMessage("Saved users/ada (version ");
    assertThat(api.get("users/ada").orElseThrow().get("name").asText()).isEqualTo("Ada Lovelace");
    assertThat(text("value")).contains("\"name\": \"Ada Lovelace\"");

    Path shot = Path.of("target", "console.png");
    Files.createDirectories(shot.getParent());
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  @Order(4)
  void aStrictEditRacingAnotherWriter_isRefusedAsAConflict_andNothingIsOverwritten() {
    api.put("doc/race", "first");
    key("doc/race").click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("value"), "\"first\""));
    browser.findElement(By.id("edit")).click();
    api.put("doc/race", "theirs"); // while the user edits
    waitForMessage("Changed by someone else since you began editing");
    type("\"mine\"");
    browser.findElement(By.id("save")).click();
    waitForMessage("conflict: \"doc/race\" changed since version");
    assertThat(text("message")).contains("Your change was not saved");
    assertThat(api.get("doc/race").orElseThrow().asText()).isEqualTo("theirs");
  }

  @Test
  @Order(5)
  void aDeleteOnThePage_isCheckedAgainstTheVersionShown_andTheApiSeesTheKeyGone() {
    browser.findElement(By.id("cancel")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("value"), "\"theirs\""));
    browser.findElement(By.id("delete")).click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    waitForMessage("Deleted doc/race");
    assertThat(api.get("doc/race")).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#keys li[data-key='doc/race']"))).isEmpty();
  }

  @Test
  @Order(6)
  void theStoreReport_showsWhatDoctorFinds() {
    browser.findElement(By.id("tab-doctor")).click();
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("doctor-report"), "protocols:                     causal, strict"));
    assertThat(text("doctor-report")).contains("create if absent (If-None-Match: *)");
  }

  @Test
  @Order(7)
  void withoutTheToken_theBrowserIsRefused_andToldWhichUrlToOpen() {
    browser.get(console.withoutToken().resolve("/api/manifests").toString());
    assertThat(browser.findElement(By.tagName("body")).getText())
        .startsWith("403 Forbidden: this address needs the console's token")
        .contains("Open the URL that `mps3 console` printed");
  }

  private static WebElement key(String key) {
    return wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#keys li[data-key='" + key + "']")));
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static void type(String json) {
    WebElement editor = browser.findElement(By.id("editor"));
    editor.clear();
    editor.sendKeys(json);
  }

  private static void waitForMessage(String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), text));
  }
}
