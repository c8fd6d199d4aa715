package dev.meshpassthrough.xds.internal;

import dev.meshpassthrough.xds.NodeStatus;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACK and NACK bookkeeping of every node, kept from the discovery server's callbacks: which
 * version went out under which nonce, which one each Envoy accepted last, which it rejected, with
 * Envoy's error text.
 */
public final class StreamBook implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger("dev.meshpassthrough.xds");

  /** Nonces remembered per node and type: an Envoy answers the latest few only. */
  private static final int NONCES_KEPT = 16;

  private final Clock clock;
  private final Function<Node, String> nodeKey;
  private final Map<Long, String> streamNodes = new ConcurrentHashMap<>();
  private final Map<String, NodeBookState> nodes = new ConcurrentHashMap<>();

  /**
   * A book with no node.
   *
   * @param clock the clock of the ACK and NACK times
   * @param nodeKey the key of a node
   */
  public StreamBook(Clock clock, Function<Node, String> nodeKey) {
    this.clock = clock;
    this.nodeKey = nodeKey;
  }

  /**
   * The keys of the nodes with an open stream.
   *
   * @return the keys, sorted
   */
  public Set<String> connectedNodes() {
    return new TreeSet<>(streamNodes.values());
  }

  /**
   * What is known of one node's streams.
   *
   * @param key the node key
   * @return a copy of its bookkeeping
   */
  public NodeBook node(String key) {
    NodeBookState state = nodes.get(key);
    int streams = (int) streamNodes.values().stream().filter(key::equals).count();
    if (state == null) {
      return new NodeBook(streams, new TreeMap<>(), Optional.empty(), 0);
    }
    synchronized (state) {
      return new NodeBook(
          streams, new TreeMap<>(state.acks), Optional.ofNullable(state.lastNack), state.nacks);
    }
  }

  /**
   * The version a node rejected: the one sent under the nonce of its NACK.
   *
   * @param key the node key
   * @param typeUrl the resource type
   * @param nonce the nonce the NACK answers
   * @return the version, when the nonce is one of the latest sent to the node
   */
  public Optional<String> versionSent(String key, String typeUrl, String nonce) {
    NodeBookState state = nodes.get(key);
    if (state == null) {
      return Optional.empty();
    }
    synchronized (state) {
      Deque<String[]> sent = state.sent.get(typeUrl);
      if (sent != null) {
        for (String[] pair : sent) {
          if (pair[0].equals(nonce)) {
            return Optional.of(pair[1]);
          }
        }
      }
      return Optional.empty();
    }
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    String key = keyOf(streamId, request.hasNode() ? request.getNode() : null);
    // A request without a nonce opens a stream: its version (if any) is the one the Envoy holds,
    // accepted from an earlier stream or control plane, and is booked as an ACK.
    if (key == null
        || (request.getResponseNonce().isEmpty() && request.getVersionInfo().isEmpty())) {
      return;
    }
    String type = request.getTypeUrl();
    NodeBookState state = state(key);
    Instant now = clock.instant();
    if (request.hasErrorDetail()) {
      String version =
          versionSent(key, type, request.getResponseNonce()).orElse(request.getVersionInfo());
      String error = request.getErrorDetail().getMessage();
      synchronized (state) {
        state.lastNack = new NodeStatus.Nack(type, version, error, now);
        state.nacks++;
      }
      LOG.warn("node {} rejected {} version {}: {}", key, shortType(type), version, oneLine(error));
    } else {
      boolean fresh;
      synchronized (state) {
        NodeStatus.Ack before = state.acks.get(type);
        fresh = before == null || !before.version().equals(request.getVersionInfo());
        state.acks.put(type, new NodeStatus.Ack(request.getVersionInfo(), now));
      }
      if (fresh) {
        LOG.info("node {} accepted {} version {}", key, shortType(type), request.getVersionInfo());
      }
    }
  }

  @Override
  public void onV3StreamResponse(
      long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    String key = keyOf(streamId, request.hasNode() ? request.getNode() : null);
    if (key == null) {
      return;
    }
    NodeBookState state = state(key);
    synchronized (state) {
      Deque<String[]> sent =
          state.sent.computeIfAbsent(response.getTypeUrl(), t -> new ArrayDeque<>());
      sent.addFirst(new String[] {response.getNonce(), response.getVersionInfo()});
      while (sent.size() > NONCES_KEPT) {
        sent.removeLast();
      }
    }
    LOG.debug(
        "node {} sent {} version {} nonce {}",
        key,
        shortType(response.getTypeUrl()),
        response.getVersionInfo(),
        response.getNonce());
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    if (request.hasNode()) {
      keyOf(streamId, request.getNode());
    }
    String key = streamNodes.get(streamId);
    if (key != null && request.hasErrorDetail()) {
      NodeBookState state = state(key);
      String type = request.getTypeUrl();
      String error = request.getErrorDetail().getMessage();
      synchronized (state) {
        state.lastNack =
            new NodeStatus.Nack(
                type, "nonce " + request.getResponseNonce(), error, clock.instant());
        state.nacks++;
      }
      LOG.warn("node {} rejected a delta of {}: {}", key, shortType(type), oneLine(error));
    }
  }

  @Override
  public void onV3StreamDeltaResponse(
      long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    // Delta responses carry per-resource versions; the book keeps state-of-the-world ones.
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  private void closed(long streamId) {
    String key = streamNodes.remove(streamId);
    if (key != null) {
      LOG.info("node {} closed its stream {}", key, streamId);
    }
  }

  private @Nullable String keyOf(long streamId, @Nullable Node node) {
    if (node != null) {
      String key = nodeKey.apply(node);
      if (streamNodes.put(streamId, key) == null) {
        LOG.info("node {} opened stream {}", key, streamId);
      }
      return key;
    }
    return streamNodes.get(streamId);
  }

  private NodeBookState state(String key) {
    return nodes.computeIfAbsent(key, k -> new NodeBookState());
  }

  /**
   * The last segment of a type URL: {@code Listener}, {@code Cluster}.
   *
   * @param typeUrl the type URL
   * @return its short name
   */
  public static String shortType(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }

  private static String oneLine(String text) {
    return text.replace('\n', ' ').replace('\r', ' ');
  }

  /**
   * A copy of one node's bookkeeping.
   *
   * @param streams open streams
   * @param acks the last ACK per type URL
   * @param lastNack the last NACK
   * @param nacks the NACK count
   */
  public record NodeBook(
      int streams,
      SortedMap<String, NodeStatus.Ack> acks,
      Optional<NodeStatus.Nack> lastNack,
      long nacks) {}

  private static final class NodeBookState {
    final Map<String, NodeStatus.Ack> acks = new HashMap<>();
    final Map<String, Deque<String[]>> sent = new HashMap<>();
    NodeStatus.@Nullable Nack lastNack;
    long nacks;
  }
}
