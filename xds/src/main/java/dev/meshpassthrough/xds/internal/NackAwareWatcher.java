package dev.meshpassthrough.xds.internal;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The snapshot cache, except that a NACK does not bring the rejected version back at once.
 *
 * <p>java-control-plane's {@code SimpleCache} compares the version a request says the Envoy has
 * with the snapshot's, and answers at once when they differ. A NACK says the last version the Envoy
 * accepted, which differs from the snapshot it just rejected: the cache sends the rejected snapshot
 * again, the Envoy rejects it again, in a loop. Here a NACK's watch is opened as if the Envoy had
 * the version it rejected (the one sent under the NACK's nonce): the cache answers only when the
 * snapshot changes.
 */
public final class NackAwareWatcher implements ConfigWatcher {
  private final ConfigWatcher cache;
  private final StreamBook book;
  private final Function<Node, String> nodeKey;

  /**
   * A watcher over a cache.
   *
   * @param cache the snapshot cache
   * @param book the book that knows which version went out under which nonce
   * @param nodeKey the key of a node
   */
  public NackAwareWatcher(ConfigWatcher cache, StreamBook book, Function<Node, String> nodeKey) {
    this.cache = cache;
    this.book = book;
    this.nodeKey = nodeKey;
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    return cache.createWatch(
        ads,
        asIfRejectedWereHeld(request),
        knownResourceNames,
        responseConsumer,
        hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    return cache.createDeltaWatch(
        request,
        requesterVersion,
        resourceVersions,
        pendingResources,
        isWildcard,
        responseConsumer,
        hasClusterChanged);
  }

  private XdsRequest asIfRejectedWereHeld(XdsRequest request) {
    DiscoveryRequest v3 = request.v3Request();
    if (!v3.hasErrorDetail() || v3.getResponseNonce().isEmpty()) {
      return request;
    }
    Optional<String> rejected =
        book.versionSent(nodeKey.apply(v3.getNode()), request.getTypeUrl(), v3.getResponseNonce());
    if (rejected.isEmpty() || rejected.get().equals(v3.getVersionInfo())) {
      return request;
    }
    return XdsRequest.create(v3.toBuilder().setVersionInfo(rejected.get()).build());
  }
}
