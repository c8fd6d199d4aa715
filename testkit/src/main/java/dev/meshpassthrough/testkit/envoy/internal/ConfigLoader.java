package dev.meshpassthrough.testkit.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.meshpassthrough.testkit.envoy.EnvoyBinary;
import dev.meshpassthrough.testkit.envoy.LoadResult;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.PathConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hands resources to Envoy. Two checks make a verdict: the original resources as a static bootstrap
 * in {@code envoy --mode validate} (which opens no socket and resolves nothing, so clusters of any
 * type are judged as written), then the probe configuration through file-based CDS and LDS into the
 * running Envoy (binary {@code DiscoveryResponse}s, swapped in atomically), whose ACK or NACK is
 * read from Envoy's {@code update_attempt} and {@code update_rejected} counters and whose rejection
 * text from its log.
 */
public final class ConfigLoader {
  private static final long UPDATE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
  private static final Pattern COUNTER = Pattern.compile("^(\\S+): (\\d+)$", Pattern.MULTILINE);

  private final EnvoyBinary binary;
  private final Path dir;
  private int version;

  /** Files go to {@code dir}. */
  public ConfigLoader(EnvoyBinary binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /**
   * The bootstrap of the running Envoy: admin on loopback, CDS and LDS from files (written empty
   * here).
   */
  public Path writeBootstrap() throws IOException {
    return writeBootstrap(java.util.Optional.empty());
  }

  /**
   * The bootstrap as above, with {@code resolver} as the default DNS resolver of every component
   * that has none of its own.
   */
  public Path writeBootstrap(
      java.util.Optional<io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig> resolver)
      throws IOException {
    Files.createDirectories(cdsFile().getParent());
    writeAtomically(cdsFile(), response(List.of(), "0"));
    writeAtomically(ldsFile(), response(List.of(), "0"));
    Bootstrap bootstrap =
        Bootstrap.newBuilder()
            .setNode(
                Node.newBuilder()
                    .setId("meshpassthrough-probe")
                    .setCluster("meshpassthrough-probe"))
            .setAdmin(
                io.envoyproxy.envoy.config.bootstrap.v3.Admin.newBuilder().setAddress(loopback(0)))
            .setDynamicResources(
                Bootstrap.DynamicResources.newBuilder()
                    .setCdsConfig(pathSource(cdsFile()))
                    .setLdsConfig(pathSource(ldsFile())))
            .build();
    if (resolver.isPresent()) {
      bootstrap = bootstrap.toBuilder().setTypedDnsResolverConfig(resolver.get()).build();
    }
    Path file = dir.resolve("bootstrap.pb");
    Files.write(file, bootstrap.toByteArray());
    return file;
  }

  /**
   * {@code envoy --mode validate} of the original resources; the messages when Envoy rejects them.
   */
  public List<String> validate(Collection<Listener> listeners, Collection<Cluster> clusters) {
    Bootstrap bootstrap =
        Bootstrap.newBuilder()
            .setNode(
                Node.newBuilder()
                    .setId("meshpassthrough-validate")
                    .setCluster("meshpassthrough-validate"))
            .setAdmin(
                io.envoyproxy.envoy.config.bootstrap.v3.Admin.newBuilder().setAddress(loopback(0)))
            .setStaticResources(
                Bootstrap.StaticResources.newBuilder()
                    .addAllListeners(listeners)
                    .addAllClusters(clusters))
            .build();
    try {
      Path file = Files.createTempFile(dir, "validate", ".pb");
      try {
        Files.write(file, bootstrap.toByteArray());
        Process process =
            new ProcessBuilder(
                    binary.path().toString(),
                    "--mode",
                    "validate",
                    "-c",
                    file.toString(),
                    "--log-level",
                    "critical",
                    "--disable-hot-restart",
                    "--concurrency",
                    "1")
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
          out = in.readNBytes(1 << 20);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new RealEnvoyException("envoy --mode validate did not finish within 60 s");
        }
        if (process.exitValue() == 0) {
          return List.of();
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        List<String> messages = new ArrayList<>();
        for (String line : text.lines().toList()) {
          String message =
              line.replaceFirst(
                      "^\\[[^\\]]*\\]\\[[^\\]]*\\]\\[[^\\]]*\\]\\[[^\\]]*\\] (\\[[^\\]]*\\] )?", "")
                  .strip();
          if (!message.isEmpty()
              && !message.startsWith("loading ")
              && !message.startsWith("initializing ")) {
            messages.add(message);
          }
        }
        return messages.isEmpty()
            ? List.of("rejected (exit " + process.exitValue() + ")")
            : messages;
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new RealEnvoyException("could not run envoy --mode validate: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RealEnvoyException("interrupted while validating", e);
    }
  }

  /** Hands the probe configuration to the running Envoy: clusters first, then listeners. */
  public LoadResult loadLive(EnvoyProcess envoy, ProbePlan plan) {
    version++;
    String v = Integer.toString(version);
    long logOffset = envoy.logSize();
    boolean clustersOk =
        update(envoy, "cluster_manager.cds", cdsFile(), response(plan.clusters(), v));
    boolean listenersOk =
        update(envoy, "listener_manager.lds", ldsFile(), response(plan.listeners(), v));
    if (clustersOk && listenersOk) {
      return LoadResult.ack();
    }
    List<String> messages = new ArrayList<>();
    for (String line : envoy.logFrom(logOffset).lines().toList()) {
      if (line.contains("rejected") || line.contains("Error adding")) {
        messages.add(
            line.replaceFirst(
                    "^\\[[^\\]]*\\]\\[[^\\]]*\\]\\[[^\\]]*\\]\\[[^\\]]*\\] (\\[[^\\]]*\\] )?", "")
                .strip());
      }
    }
    return LoadResult.nack(
        messages.isEmpty() ? List.of("rejected; Envoy logged no reason") : messages);
  }

  private boolean update(EnvoyProcess envoy, String prefix, Path file, DiscoveryResponse response) {
    Map<String, Long> before = counters(envoy, prefix);
    writeAtomically(file, response);
    long deadline = System.nanoTime() + UPDATE_TIMEOUT_NANOS;
    while (System.nanoTime() < deadline) {
      Map<String, Long> now = counters(envoy, prefix);
      long attempts =
          now.getOrDefault(prefix + ".update_attempt", 0L)
              - before.getOrDefault(prefix + ".update_attempt", 0L);
      long rejected =
          now.getOrDefault(prefix + ".update_rejected", 0L)
              - before.getOrDefault(prefix + ".update_rejected", 0L);
      long success =
          now.getOrDefault(prefix + ".update_success", 0L)
              - before.getOrDefault(prefix + ".update_success", 0L);
      if (rejected > 0) {
        return false;
      }
      if (attempts > 0 && success > 0) {
        return true;
      }
      sleep(5);
    }
    throw new RealEnvoyException(
        prefix
            + ": Envoy did not pick up "
            + file.getFileName()
            + " within "
            + TimeUnit.NANOSECONDS.toSeconds(UPDATE_TIMEOUT_NANOS)
            + " s:\n"
            + envoy.logTail());
  }

  private static Map<String, Long> counters(EnvoyProcess envoy, String prefix) {
    String text = envoy.get("/stats?filter=" + prefix.replace(".", "\\.") + "\\.update_");
    Map<String, Long> counters = new HashMap<>();
    Matcher m = COUNTER.matcher(text);
    while (m.find()) {
      counters.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return counters;
  }

  private static DiscoveryResponse response(List<? extends Message> resources, String version) {
    DiscoveryResponse.Builder builder = DiscoveryResponse.newBuilder().setVersionInfo(version);
    resources.forEach(r -> builder.addResources(Any.pack(r)));
    return builder.build();
  }

  private void writeAtomically(Path file, Message message) {
    try {
      Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      Files.write(temp, message.toByteArray());
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new RealEnvoyException("could not write " + file + ": " + e.getMessage(), e);
    }
  }

  // Envoy watches the directory of these files: keep the logs it writes out of it.
  private Path cdsFile() {
    return dir.resolve("xds").resolve("cds.pb");
  }

  private Path ldsFile() {
    return dir.resolve("xds").resolve("lds.pb");
  }

  private static ConfigSource pathSource(Path file) {
    return ConfigSource.newBuilder()
        .setResourceApiVersion(ApiVersion.V3)
        .setPathConfigSource(PathConfigSource.newBuilder().setPath(file.toString()))
        .build();
  }

  private static Address loopback(int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port))
        .build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RealEnvoyException("interrupted while waiting for Envoy", e);
    }
  }
}
