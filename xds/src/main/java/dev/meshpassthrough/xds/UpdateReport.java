package dev.meshpassthrough.xds;

import dev.meshpassthrough.core.Problem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link PassthroughControlPlane.Update} did: one entry per node it touched, sorted by
 * node key, and how many pipeline runs it took.
 *
 * @param nodes the nodes touched, sorted by key; nodes the update did not involve are absent
 * @param runs the pipeline runs of this update: one per node run again
 */
public record UpdateReport(List<NodeUpdate> nodes, int runs) {

  /**
   * Copies the list.
   *
   * @param nodes the nodes touched, sorted by key; copied; not null, nor any element
   * @param runs the pipeline runs of this update, not negative
   * @throws IllegalArgumentException when runs is negative
   */
  public UpdateReport {
    nodes = List.copyOf(nodes);
    if (runs < 0) {
      throw new IllegalArgumentException("runs < 0: " + runs);
    }
  }

  /**
   * The nodes sent something new.
   *
   * @return the entries of kind {@link Kind#PUSHED}
   */
  public List<NodeUpdate> pushed() {
    return nodes.stream().filter(n -> n.kind() == Kind.PUSHED).toList();
  }

  /** What happened to one node. */
  public enum Kind {
    /** New content: the node's snapshot was replaced, its Envoy is sent the new versions. */
    PUSHED,
    /** Run again, same content: nothing is sent. */
    UNCHANGED,
    /** The run failed: the node keeps its last good snapshot (or has none); see the problems. */
    KEPT_LAST_GOOD,
    /**
     * The proxy was removed: it is run no more (see {@link
     * PassthroughControlPlane.Update#removeProxy}).
     */
    REMOVED
  }

  /**
   * One node's part of an update.
   *
   * @param node the node key
   * @param kind what happened
   * @param listenersVersion the listeners version the node is served afterwards, if any
   * @param clustersVersion the clusters version the node is served afterwards, if any
   * @param reasons why the node was touched, for example {@code policy default/allow-egress
   *     changed}
   * @param problems the problems of the node's run (errors for {@link Kind#KEPT_LAST_GOOD})
   */
  public record NodeUpdate(
      String node,
      Kind kind,
      Optional<String> listenersVersion,
      Optional<String> clustersVersion,
      List<String> reasons,
      List<Problem> problems) {

    /**
     * Copies the lists.
     *
     * @param node the node key, not null
     * @param kind what happened, not null
     * @param listenersVersion the listeners version served afterwards, not null
     * @param clustersVersion the clusters version served afterwards, not null
     * @param reasons why the node was touched; copied; not null
     * @param problems the problems of the node's run; copied; not null
     * @throws NullPointerException when an argument is null
     */
    public NodeUpdate {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(listenersVersion, "listenersVersion");
      Objects.requireNonNull(clustersVersion, "clustersVersion");
      reasons = List.copyOf(reasons);
      problems = List.copyOf(problems);
    }
  }
}
