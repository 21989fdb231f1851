package io.persistencelog.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogPersistenceHandler;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The explorer page in a real browser: Debian's chromium and chromium-driver (installed by .ci/run), driven by
 * Selenium, headless. Nothing is downloaded: both executables are taken from the PATH. Saves docs/explorer.png.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExplorerBrowserTest {

    @TempDir
    static Path logs;

    static ChromeDriver browser;
    static Path profile;

    @DynamicPropertySource
    static void logDirectory(DynamicPropertyRegistry registry) {
        registry.add("log-persistence.file.directory", () -> logs.toString());
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    LogPersistenceHandler handler;

    @BeforeAll
    static void startBrowser() throws IOException {
        File chromium = executable("chromium", "chromium-browser");
        File driver = executable("chromedriver");
        profile = Files.createTempDirectory("explorer-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1000", "--lang=en-GB");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** An executable on the PATH; the test fails (not skips) without one, so CI cannot pass without a browser. */
    static File executable(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                File file = new File(dir, name);
                if (file.canExecute()) {
                    return file;
                }
            }
        }
        throw new IllegalStateException("No " + String.join(" or ", names) + " on the PATH: install Debian's chromium "
                + "and chromium-driver packages (.ci/run does: apt-get install -y chromium chromium-driver)");
    }

    @Test
    void errorsAreFilteredShownInTheTableAndChartAndOneClickFromTheirJson() throws Exception {
        AppLogger log = AppLoggerFactory.getAppLogger("io.persistencelog.sample.Checkout");
        log.info("Cart opened", "cart_id", 17);
        log.warn("Stock running low", "sku", "B-42", "left", 3);
        log.error("Charge declined for order 4711", "order_id", 4711, "amount", 99.5,
                new IllegalArgumentException("card expired"));
        HttpResponse<String> fail = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base() + "/fail")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fail.statusCode()).isEqualTo(200);
        log.info("Cart closed", "cart_id", 17);
        assertThat(handler.flush(Duration.ofSeconds(10))).isTrue();

        browser.get(base() + "/logpersistence");
        // The table is redrawn when a search answers: an element found just before that is stale, look again.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> rows().stream().anyMatch(r -> r.getText().contains("Cart closed")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#backends .card[data-backend='file']")));

        new Select(browser.findElement(By.id("level"))).selectByVisibleText("ERROR");
        wait.until(d -> !rows().isEmpty() && rows().stream().allMatch(r -> r.getAttribute("class").contains("is-ERROR")));

        List<WebElement> errors = rows();
        assertThat(errors).hasSize(2);
        // Newest first: /fail was called after the checkout error.
        assertThat(errors.get(0).getText()).contains("Payment failed").contains("payment service unavailable");
        assertThat(errors.get(1).getText()).contains("Charge declined for order 4711")
                .contains("IllegalArgumentException: card expired").contains("io.persistencelog.sample.Checkout");
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("2 entries shown");

        // The stacked histogram: ERROR bars only, now that the search is filtered.
        List<WebElement> bars = browser.findElements(By.cssSelector("#chart svg.histogram rect.bar"));
        assertThat(bars).isNotEmpty();
        assertThat(bars).allSatisfy(bar -> assertThat(bar.getAttribute("class")).contains("level-ERROR"));
        assertThat(bars.stream().mapToDouble(bar -> Double.parseDouble(bar.getAttribute("height"))).max().orElse(0))
                .isGreaterThan(0);

        // The full JSON of an entry, one click away.
        WebElement detail = browser.findElements(By.cssSelector("#entries tbody tr.json")).get(1);
        assertThat(detail.isDisplayed()).isFalse();
        errors.get(1).findElement(By.cssSelector("button.json-toggle")).click();
        wait.until(ExpectedConditions.visibilityOf(detail));
        assertThat(detail.getText()).contains("\"order_id\": 4711").contains("\"type\": \"java.lang.IllegalArgumentException\"")
                .contains("\"stack\"");

        WebElement fileCard = browser.findElement(By.cssSelector("#backends .card[data-backend='file']"));
        assertThat(fileCard.getText()).contains("Written").contains("Failed").contains("In flight");

        Path docs = Path.of("..", "docs");
        if (Files.isDirectory(docs)) {
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, docs.resolve("explorer.png"), StandardCopyOption.REPLACE_EXISTING);
        }

        // A phone's width: nothing makes the page scroll sideways, the rows are still there.
        browser.manage().window().setSize(new Dimension(390, 844));
        wait.until(d -> ((Number) browser.executeScript("return window.innerWidth")).intValue() <= 400);
        Number overflow = (Number) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow.intValue()).isLessThanOrEqualTo(0);
        assertThat(rows()).hasSize(2).allSatisfy(row -> assertThat(row.isDisplayed()).isTrue());
        browser.manage().window().setSize(new Dimension(1280, 1000));

        List<String> policyViolations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy") || m.contains("Refused"))
                .toList();
        assertThat(policyViolations).isEmpty();
    }

    @Test
    void markupInALoggedEntryIsShownAsTextNeverRun() throws Exception {
        // Log lines carry whatever users typed; the page must never turn them into markup. WARN, so the ERROR
        // rows the other test counts stay the same.
        String script = "<script>window.__injected = 'script'</script>";
        String image = "<img src=x onerror=\"window.__injected='img'\">";
        AppLogger log = AppLoggerFactory.getAppLogger("io.persistencelog.sample.Hostile<b>");
        log.warn("Search for " + script, "query", image, new IllegalStateException("bad input " + image));
        assertThat(handler.flush(Duration.ofSeconds(10))).isTrue();

        browser.get(base() + "/logpersistence?logger=" + URLEncoder.encode(
                "io.persistencelog.sample.Hostile<b>", StandardCharsets.UTF_8));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> rows().size() == 1 && rows().get(0).getText().contains("Search for"));

        WebElement row = rows().get(0);
        assertThat(row.findElement(By.cssSelector("td.message")).getText()).contains("Search for " + script)
                .contains("bad input " + image);
        assertThat(row.findElement(By.cssSelector("td.logger")).getText())
                .isEqualTo("io.persistencelog.sample.Hostile<b>");
        row.findElement(By.cssSelector("button.json-toggle")).click();
        WebElement detail = browser.findElements(By.cssSelector("#entries tbody tr.json")).get(0);
        wait.until(ExpectedConditions.visibilityOf(detail));
        assertThat(detail.getText()).contains("<img src=x onerror=");
        // Nothing the entry held became an element, and nothing ran.
        assertThat(browser.findElements(By.cssSelector("#entries img, #entries script, #entries b"))).isEmpty();
        assertThat(browser.executeScript("return window.__injected === undefined")).isEqualTo(true);
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#entries tbody tr.entry"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
