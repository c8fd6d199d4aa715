package dev.meshpassthrough.cli;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Envoy listeners and clusters of one {@code lint} input, each with where it was written.
 *
 * @param source the file name, or {@code <stdin>}
 * @param kind what the input was
 * @param entries every listener and cluster, in input order
 * @param failedUpdates updates Envoy itself rejected, as a config dump records them ({@code
 *     error_state})
 * @param holdsClusters whether the input holds the clusters of its listeners: false for a config
 *     dump without a {@code ClustersConfigDump} (for example {@code ?resource=dynamic_listeners}),
 *     whose references to clusters cannot be checked
 */
record ResourceFile(
    String source,
    Kind kind,
    List<Entry> entries,
    List<FailedUpdate> failedUpdates,
    boolean holdsClusters) {
  /** Copies the lists. */
  ResourceFile {
    entries = List.copyOf(entries);
    failedUpdates = List.copyOf(failedUpdates);
  }

  /** The shapes {@code lint} reads. */
  enum Kind {
    /**
     * {@code {"resources": [{"name": N, "resource": {"@type": ..., ...}}]}}, as {@code translate}
     * prints.
     */
    RESOURCES("resources"),
    /**
     * The JSON of Envoy's admin {@code /config_dump}: {@code {"configs": [{"@type":
     * ...ListenersConfigDump, ...}, ...]}}.
     */
    CONFIG_DUMP("config_dump");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** {@code resources} or {@code config_dump}. */
    String wireName() {
      return wireName;
    }
  }

  /**
   * Whether a config dump has the resource as Envoy serves it, or as an update Envoy is warming.
   */
  enum State {
    /** Static, active, or the only version there is. */
    CURRENT,
    /**
     * {@code warming_state} / {@code dynamic_warming_clusters}: the version Envoy is about to
     * serve.
     */
    WARMING
  }

  /**
   * One line and column of the input, both from 1.
   *
   * @param line the line
   * @param column the column
   */
  record Position(int line, int column) {
    @Override
    public String toString() {
      return line + ":" + column;
    }
  }

  /**
   * One listener or cluster.
   *
   * @param resource a {@link Listener} or a {@link Cluster}
   * @param path where it sits in the input, for example {@code
   *     configs[1].dynamic_listeners[0].active_state.listener}
   * @param position where it starts, when known
   * @param state whether it is the version Envoy serves
   */
  record Entry(Message resource, String path, Optional<Position> position, State state) {
    /**
     * {@code Listener NAME} or {@code Cluster NAME}, as {@code EnvoyAcceptance} names resources.
     */
    String key() {
      return resource instanceof Listener listener
          ? "Listener " + listener.getName()
          : "Cluster " + ((Cluster) resource).getName();
    }
  }

  /**
   * An update Envoy rejected, from the {@code error_state} of a config dump.
   *
   * @param resource {@code Listener NAME} or {@code Cluster NAME}
   * @param position where the error state starts, when known
   * @param details Envoy's words
   */
  record FailedUpdate(String resource, Optional<Position> position, String details) {}

  /** The listeners of {@code entries}. */
  static List<Listener> listeners(List<Entry> entries) {
    return entries.stream()
        .map(Entry::resource)
        .filter(Listener.class::isInstance)
        .map(Listener.class::cast)
        .toList();
  }

  /** The clusters of {@code entries}. */
  static List<Cluster> clusters(List<Entry> entries) {
    return entries.stream()
        .map(Entry::resource)
        .filter(Cluster.class::isInstance)
        .map(Cluster.class::cast)
        .toList();
  }

  /**
   * The resources Envoy would hold if it preferred {@code preferred}: every entry, except those of
   * the other state whose key also has an entry of {@code preferred}. Input order.
   */
  List<Entry> view(State preferred) {
    Set<String> preferredKeys =
        entries.stream()
            .filter(e -> e.state() == preferred)
            .map(Entry::key)
            .collect(Collectors.toSet());
    return entries.stream()
        .filter(e -> e.state() == preferred || !preferredKeys.contains(e.key()))
        .toList();
  }
}
