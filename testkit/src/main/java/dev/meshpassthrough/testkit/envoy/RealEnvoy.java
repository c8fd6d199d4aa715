package dev.meshpassthrough.testkit.envoy;

import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.Connection;
import dev.meshpassthrough.testkit.Decision;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * One real Envoy process on loopback, as the judge of a configuration: whether Envoy accepts it,
 * and what Envoy does with a connection under it.
 *
 * <p>API skeleton; the implementation follows.
 */
public final class RealEnvoy implements AutoCloseable {
  /** The listener-filter timeout the probe uses instead of a longer one. */
  public static final Duration DEFAULT_PROBE_LISTENER_FILTERS_TIMEOUT = Duration.ofMillis(1500);

  private RealEnvoy() {}

  /** Starts an Envoy found (or installed) by {@link EnvoyBinary#findOrInstall()}. */
  public static RealEnvoy start() {
    return start(EnvoyBinary.findOrInstall());
  }

  /** Starts {@code binary}. */
  public static RealEnvoy start(EnvoyBinary binary) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The binary this Envoy runs. */
  public EnvoyBinary binary() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Hands the resources to Envoy and says whether it accepted them. */
  public LoadResult load(Collection<Listener> listeners, Collection<Cluster> clusters) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Hands a translation's resources to Envoy. */
  public LoadResult load(TranslationResult resources) {
    return load(resources.listeners(), resources.clusters());
  }

  /** What the real Envoy does with {@code connection} under the last accepted configuration. */
  public Decision decide(Connection connection) {
    throw new UnsupportedOperationException("not yet");
  }

  /** {@link #decide} for each connection, concurrently where possible; results in the input's order. */
  public List<Decision> decideAll(List<Connection> connections) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The tail of Envoy's own log. */
  public String logTail() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Stops Envoy and removes its files. */
  @Override
  public void close() {}
}
