package dev.meshpassthrough.testkit.envoy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpassthrough.testkit.envoy.RealEnvoyException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loopback ports of the probe listeners: one free port per listener name, chosen once and kept
 * for the life of the Envoy (a listener configured with port 0 could be handed the socket of
 * another listener with the same configured address on an update), and the wait until Envoy has
 * bound every listener of a load and finished warming and draining.
 */
public final class ListenerPorts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BIND_TIMEOUT_SECONDS = 20;
  private static final Pattern GAUGE = Pattern.compile(":\\s*(\\d+)\\s*$", Pattern.MULTILINE);

  private final Map<String, Integer> chosen = new ConcurrentHashMap<>();

  /**
   * The port of the listener named {@code name}: a free loopback port the first time, the same one
   * after.
   */
  public int portOf(String name) {
    return chosen.computeIfAbsent(
        name,
        n -> {
          try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
          } catch (IOException e) {
            throw new RealEnvoyException(
                "no free loopback port for listener " + n + ": " + e.getMessage(), e);
          }
        });
  }

  /**
   * Waits until Envoy has bound every binding listener of {@code plan} and no listener is warming
   * or draining; the bound port of each listener name.
   *
   * @throws RealEnvoyException when that takes longer than 20 s
   */
  public static Map<String, Integer> awaitBound(EnvoyProcess envoy, ProbePlan plan) {
    List<String> binding =
        plan.listenerInfo().values().stream()
            .filter(ProbePlan.ListenerInfo::bindToPort)
            .map(ProbePlan.ListenerInfo::name)
            .distinct()
            .sorted(Comparator.naturalOrder())
            .toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BIND_TIMEOUT_SECONDS);
    while (true) {
      Map<String, Integer> bound = boundPorts(envoy);
      if (binding.stream().allMatch(name -> bound.getOrDefault(name, 0) > 0)
          && gauge(envoy, "total_listeners_warming") == 0
          && gauge(envoy, "total_listeners_draining") == 0) {
        return bound;
      }
      if (System.nanoTime() > deadline) {
        throw new RealEnvoyException(
            "Envoy did not bind listeners "
                + binding
                + " within "
                + BIND_TIMEOUT_SECONDS
                + " s (bound: "
                + bound
                + "):\n"
                + envoy.logTail());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RealEnvoyException("interrupted while waiting for listeners", e);
      }
    }
  }

  private static long gauge(EnvoyProcess envoy, String name) {
    Matcher m = GAUGE.matcher(envoy.get("/stats?filter=^listener_manager\\." + name + "$"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static Map<String, Integer> boundPorts(EnvoyProcess envoy) {
    try {
      JsonNode root = JSON.readTree(envoy.get("/listeners?format=json"));
      Map<String, Integer> ports = new HashMap<>();
      for (JsonNode status : root.path("listener_statuses")) {
        ports.put(
            status.path("name").asText(),
            status.path("local_address").path("socket_address").path("port_value").asInt(0));
      }
      return ports;
    } catch (IOException e) {
      throw new RealEnvoyException("Envoy's /listeners is not JSON: " + e.getMessage(), e);
    }
  }
}
