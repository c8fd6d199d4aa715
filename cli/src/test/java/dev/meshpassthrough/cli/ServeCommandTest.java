package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code serve}: flags and exit codes, the status endpoint, hot reload with its log line, JSON
 * logs, and a graceful stop on SIGTERM. Real Envoys over ADS: xds's RealEnvoyAdsTest.
 */
@Isolated("serve configures the JVM's one logging context")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServeCommandTest {
  private static final Pattern SERVING =
      Pattern.compile(
          "serving ADS on 127\\.0\\.0\\.1:(\\d+), status on http:\\\\?/\\\\?/127\\.0\\.0\\.1:(\\d+)"); // JSON logs: "\\/"
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void badFlags_unreadableDirectories_andAPortInUse_exit2WithAClearMessage() throws IOException {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path proxies = Files.createDirectories(dir.resolve("proxies"));

    CliRun missing = CliRun.of("serve", "--policies", policies.toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(missing.err()).contains("Missing required option: '--proxies=DIR'");

    CliRun name = serveOnce(policies.toString(), proxies.toString(), "--listen", "localhost:18000");
    assertThat(name.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(name.err()).contains("'localhost' is not an IP address (names are not resolved)");

    CliRun noPort = serveOnce(policies.toString(), proxies.toString(), "--status", "127.0.0.1");
    assertThat(noPort.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(noPort.err()).contains("has no port");

    CliRun format = serveOnce(policies.toString(), proxies.toString(), "--log-format", "xml");
    assertThat(format.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(format.err()).contains("unknown log format 'xml': use text or json");

    CliRun noDir =
        serveOnce(
            dir.resolve("nope").toString(),
            proxies.toString(),
            "--listen",
            "127.0.0.1:0",
            "--status",
            "127.0.0.1:0");
    assertThat(noDir.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(noDir.err()).contains(dir.resolve("nope") + " is not a readable directory");

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRun inUse =
          serveOnce(
              policies.toString(),
              proxies.toString(),
              "--listen",
              "127.0.0.1:" + taken.getLocalPort(),
              "--status",
              "127.0.0.1:0");
      assertThat(inUse.exitCode()).isEqualTo(ExitCode.UNREADABLE);
      assertThat(inUse.err())
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .containsIgnoringCase("address already in use");

      CliRun statusInUse =
          serveOnce(
              policies.toString(),
              proxies.toString(),
              "--listen",
              "127.0.0.1:0",
              "--status",
              "127.0.0.1:" + taken.getLocalPort());
      assertThat(statusInUse.exitCode()).isEqualTo(ExitCode.UNREADABLE);
      assertThat(statusInUse.err())
          .contains("cannot serve status on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void serves_reportsStatus_followsEdits_keepsTheLastGoodOnABadEdit_andStops() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path proxies = Files.createDirectories(dir.resolve("proxies"));
    Path policy = policies.resolve("allow.yaml");
    Files.copy(Path.of("..", "examples", "allow-some-destinations.yaml"), policy);
    Files.copy(Path.of("..", "examples", "proxy.yaml"), proxies.resolve("web-0.yaml"));

    try (Running serve = Running.start(policies, proxies)) {
      assertThat(serve.get("/healthz").body()).isEqualTo("ok\n");
      assertThat(serve.get("/readyz").statusCode()).isEqualTo(200);
      JsonNode node = serve.status().get("nodes").get(0);
      assertThat(node.get("node").asText()).isEqualTo("web-0.shop");
      assertThat(node.get("proxyFile").asText())
          .isEqualTo(proxies.resolve("web-0.yaml").toString());
      assertThat(node.get("appliedPolicies").get(0).asText())
          .isEqualTo("allow-some-destinations.kuma-system");
      assertThat(node.get("outcome").asText()).isEqualTo("TRANSLATED");
      String version = node.get("versions").get("Listener").asText();
      assertThat(version).hasSize(64);

      // An edit, written as an editor does (a temporary file renamed over the old one).
      replace(policy, Files.readString(policy).replace("port: 443", "port: 8443"));
      String log = serve.awaitErr(e -> e.contains("reloaded"), Duration.ofSeconds(5));
      assertThat(log)
          .contains("node web-0.shop pushed Listener ")
          .contains("because policy default/allow-some-destinations.kuma-system changed");
      String edited = serve.status().get("nodes").get(0).get("versions").get("Listener").asText();
      assertThat(edited).isNotEqualTo(version);

      // A bad edit: reported with its place, the last good policy stays.
      replace(policy, Files.readString(policy).replace("port: 8443", "port: 70000"));
      serve.awaitErr(
          e -> e.contains("rejected, its last good content stays"), Duration.ofSeconds(5));
      JsonNode status = serve.status();
      assertThat(status.get("nodes").get(0).get("versions").get("Listener").asText())
          .isEqualTo(edited);
      JsonNode file = status.get("files").get(0);
      assertThat(file.get("applied").asBoolean()).isFalse();
      assertThat(file.get("errors").get(0).asText())
          .contains("allow.yaml")
          .contains("port must be a valid");
      // Ready was reached once and stays.
      assertThat(status.get("ready").asBoolean()).isTrue();

      CliRun run = serve.stop();
      assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
      assertThat(run.err()).contains("stopped");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void anInvalidFileAtStart_isServedAround_andNotReady() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path proxies = Files.createDirectories(dir.resolve("proxies"));
    Files.writeString(policies.resolve("broken.yaml"), "spec: [");
    Files.copy(Path.of("..", "examples", "proxy.yaml"), proxies.resolve("web-0.yaml"));
    try (Running serve = Running.start(policies, proxies)) {
      HttpResponse<String> ready = serve.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).startsWith("not ready");
      // The proxy is served its own resources: no policy applies.
      assertThat(serve.status().get("nodes").get(0).get("outcome").asText()).isEqualTo("UNCHANGED");
      assertThat(serve.stop().exitCode()).isZero();
    }
  }

  @Test
  void jsonLogs_areOneObjectPerLine() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path proxies = Files.createDirectories(dir.resolve("proxies"));
    Files.copy(
        Path.of("..", "examples", "allow-some-destinations.yaml"), policies.resolve("a.yaml"));
    Files.copy(Path.of("..", "examples", "proxy.yaml"), proxies.resolve("web-0.yaml"));
    try (Running serve = Running.start(policies, proxies, "--log-format", "json")) {
      CliRun run = serve.stop();
      List<String> lines = run.err().lines().toList();
      assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
      List<String> messages = new ArrayList<>();
      for (String line : lines) {
        JsonNode event = JSON.readTree(line);
        assertThat(event.get("level").asText()).isIn("INFO", "WARN", "ERROR");
        messages.add(event.get("formattedMessage").asText());
      }
      assertThat(messages)
          .anyMatch(m -> m.startsWith("node web-0.shop pushed Listener "))
          .anyMatch(m -> m.startsWith("serving ADS on 127.0.0.1:"))
          .contains("stopped");
    }
  }

  @Test
  void sighup_printsTheStatus_andSigterm_stopsGracefully_withExitCode0() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path proxies = Files.createDirectories(dir.resolve("proxies"));
    Files.copy(
        Path.of("..", "examples", "allow-some-destinations.yaml"), policies.resolve("a.yaml"));
    Files.copy(Path.of("..", "examples", "proxy.yaml"), proxies.resolve("web-0.yaml"));
    Path err = dir.resolve("err.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--policies",
                policies.toString(),
                "--proxies",
                proxies.toString(),
                "--listen",
                "127.0.0.1:0",
                "--status",
                "127.0.0.1:0")
            .redirectOutput(dir.resolve("out.log").toFile())
            .redirectError(err.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(err).contains("serving ADS on") && System.nanoTime() < deadline) {
        assertThat(process.isAlive()).as("serve died: %s", Files.readString(err)).isTrue();
        Thread.sleep(50);
      }
      assertThat(Files.readString(err)).contains("serving ADS on");
      // SIGHUP: the status document on standard error, and serving goes on.
      Process hup =
          new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
      assertThat(hup.waitFor(10, TimeUnit.SECONDS)).isTrue();
      while (!Files.readString(err).contains("\"appliedPolicies\"")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(err)).contains("\"node\" : \"web-0.shop\"");
      assertThat(process.isAlive()).isTrue();
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(err)).isZero();
      assertThat(Files.readString(err)).contains("SIGTERM received").contains("stopped");
      assertThat(Files.readString(dir.resolve("out.log"))).isEmpty();
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static CliRun serveOnce(String policies, String proxies, String... more) {
    List<String> args =
        new ArrayList<>(List.of("serve", "--policies", policies, "--proxies", proxies));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static void replace(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** One in-process serve run on its own thread. */
  private static final class Running implements AutoCloseable {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exit;
    final int statusPort;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int errOffset;

    private Running(String... args) throws InterruptedException {
      int before = ServeCommand.RUNNING.size();
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      exit =
          CompletableFuture.supplyAsync(
              () -> MeshPassthroughCommand.run(args, new ByteArrayInputStream(new byte[0]), o, e));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      Matcher m = SERVING.matcher("");
      while (System.nanoTime() < deadline && !exit.isDone()) {
        m = SERVING.matcher(errText());
        if (m.find() && ServeCommand.RUNNING.size() > before) {
          break;
        }
        Thread.sleep(20);
      }
      if (!m.find(0)) {
        throw new AssertionError("serve did not start: " + errText());
      }
      statusPort = Integer.parseInt(m.group(2));
    }

    /** serve on the two directories, on free loopback ports, with {@code more} flags. */
    static Running start(Path policies, Path proxies, String... more) throws InterruptedException {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "serve",
                  "--policies",
                  policies.toString(),
                  "--proxies",
                  proxies.toString(),
                  "--listen",
                  "127.0.0.1:0",
                  "--status",
                  "127.0.0.1:0"));
      args.addAll(List.of(more));
      return new Running(args.toArray(String[]::new));
    }

    String errText() {
      synchronized (err) {
        return err.toString(StandardCharsets.UTF_8);
      }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    JsonNode status() throws IOException, InterruptedException {
      HttpResponse<String> response = get("/status");
      assertThat(response.statusCode()).isEqualTo(200);
      return JSON.readTree(response.body());
    }

    /** Waits for new standard-error text that satisfies {@code condition}; returns the new text. */
    String awaitErr(Predicate<String> condition, Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        String text = errText();
        String fresh = text.substring(errOffset);
        if (condition.test(fresh)) {
          errOffset = text.length();
          return fresh;
        }
        Thread.sleep(20);
      }
      throw new AssertionError("not in standard error within " + within + ": " + errText());
    }

    CliRun stop() throws Exception {
      ServeCommand.RUNNING.forEach(java.util.concurrent.CountDownLatch::countDown);
      int code = exit.get(20, TimeUnit.SECONDS);
      return new CliRun(code, out.toString(StandardCharsets.UTF_8), errText());
    }

    @Override
    public void close() throws Exception {
      if (!exit.isDone()) {
        stop();
      }
    }
  }
}
