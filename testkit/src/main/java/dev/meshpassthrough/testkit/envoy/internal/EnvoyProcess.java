package dev.meshpassthrough.testkit.envoy.internal;

import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Envoy process: started with a bootstrap file, admin on 127.0.0.1 with an ephemeral port, a
 * dynamic base id (parallel JVMs never clash), one worker thread and a quiet log; stopped on {@link
 * #close()} and, failing that, by a JVM shutdown hook.
 */
public final class EnvoyProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final Process process;
  private final Thread shutdownHook;
  private final HttpClient http;
  private final String admin;

  private EnvoyProcess(Path dir, Process process, Thread shutdownHook, String admin) {
    this.dir = dir;
    this.process = process;
    this.shutdownHook = shutdownHook;
    this.admin = admin;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(ADMIN_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** Starts {@code binary} with the bootstrap at {@code bootstrap}; files go to {@code dir}. */
  public static EnvoyProcess start(EnvoyBinary binary, Path dir, Path bootstrap) {
    Path adminFile = dir.resolve("admin-address");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.path().toString(),
                "-c",
                bootstrap.toString(),
                "--concurrency",
                "1",
                "--use-dynamic-base-id",
                "--base-id-path",
                dir.resolve("base-id").toString(),
                "--admin-address-path",
                adminFile.toString(),
                "--log-level",
                "warning",
                "--file-flush-interval-msec",
                "10",
                "--drain-time-s",
                "0",
                "--drain-strategy",
                "immediate",
                "--parent-shutdown-time-s",
                "1",
                "--disable-hot-restart"));
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("envoy.log").toFile())
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new RealEnvoyException("could not start " + binary + ": " + e.getMessage(), e);
    }
    Thread hook = new Thread(process::destroyForcibly, "meshpassthrough-envoy-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new RealEnvoyException(
              "Envoy exited at start (exit "
                  + process.exitValue()
                  + "):\n"
                  + tail(dir.resolve("envoy.log")));
        }
        if (Files.isRegularFile(adminFile)) {
          String address = Files.readString(adminFile, StandardCharsets.UTF_8).strip();
          if (!address.isEmpty()) {
            EnvoyProcess started = new EnvoyProcess(dir, process, hook, "http://" + address);
            started.awaitLive(deadline);
            return started;
          }
        }
        Thread.sleep(20);
      }
      throw new RealEnvoyException(
          "Envoy did not start within "
              + START_TIMEOUT.toSeconds()
              + " s:\n"
              + tail(dir.resolve("envoy.log")));
    } catch (IOException e) {
      stop(process, hook);
      throw new RealEnvoyException("could not read Envoy's admin address: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      stop(process, hook);
      Thread.currentThread().interrupt();
      throw new RealEnvoyException("interrupted while Envoy started", e);
    } catch (RuntimeException e) {
      stop(process, hook);
      throw e;
    }
  }

  private void awaitLive(long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      try {
        if (get("/ready").strip().equals("LIVE")) {
          return;
        }
      } catch (RealEnvoyException e) {
        // not answering yet
      }
      Thread.sleep(20);
    }
    throw new RealEnvoyException("Envoy's admin did not report LIVE:\n" + logTail());
  }

  /** GET an admin path; the body. */
  public String get(String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(ADMIN_TIMEOUT).GET().build();
    return send(request, pathAndQuery);
  }

  /** POST to an admin path; the body. */
  public String post(String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(ADMIN_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return send(request, pathAndQuery);
  }

  private URI uri(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    if (q < 0) {
      return URI.create(admin + pathAndQuery);
    }
    StringBuilder query = new StringBuilder();
    for (String pair : pathAndQuery.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      query.append(query.length() == 0 ? "" : "&");
      query.append(
          eq < 0
              ? URLEncoder.encode(pair, StandardCharsets.UTF_8)
              : pair.substring(0, eq)
                  + "="
                  + URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return URI.create(admin + pathAndQuery.substring(0, q) + "?" + query);
  }

  private String send(HttpRequest request, String what) {
    ensureAlive();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    } catch (IOException e) {
      throw new RealEnvoyException(
          "Envoy's admin did not answer " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RealEnvoyException("interrupted while asking Envoy's admin " + what, e);
    }
  }

  /** Fails with the log when the process has died. */
  public void ensureAlive() {
    if (!process.isAlive()) {
      throw new RealEnvoyException(
          "Envoy has died (exit " + process.exitValue() + "):\n" + logTail());
    }
  }

  /** Envoy's log (stdout and stderr). */
  public Path logFile() {
    return dir.resolve("envoy.log");
  }

  /** The last lines of Envoy's log. */
  public String logTail() {
    return tail(logFile());
  }

  /** The whole log from byte {@code offset} on. */
  public String logFrom(long offset) {
    try {
      byte[] all = Files.readAllBytes(logFile());
      return offset >= all.length
          ? ""
          : new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The log's size now. */
  public long logSize() {
    try {
      return Files.size(logFile());
    } catch (IOException e) {
      return 0;
    }
  }

  /** The process id, for tests that check nothing is left behind. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Asks Envoy to quit, then kills it if it has not within a few seconds. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        post("/quitquitquit");
      } catch (RuntimeException e) {
        // killed below
      }
    }
    stop(process, shutdownHook);
  }

  private static void stop(Process process, Thread hook) {
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }
}
