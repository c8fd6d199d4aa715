package dev.meshpassthrough.xds;

import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.envoy.PassthroughPipeline;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the control plane knows of one node: its proxy, the last run, what it is served, and what
 * its Envoy said back.
 *
 * @param node the node key
 * @param source where the proxy was read from (its file), if known
 * @param outcome how the last pipeline run ended; empty for a node without a proxy
 * @param appliedPolicies the policies that applied in the last run, in precedence order
 * @param listenersVersion the listeners version served, empty when nothing was ever good
 * @param clustersVersion the clusters version served, empty when nothing was ever good
 * @param updatedAt when the proxy was last run
 * @param streams how many xDS streams of the node are open
 * @param lastAcks the last version the node's Envoy accepted, per resource type URL
 * @param lastNack the last version the node's Envoy rejected, with its error text
 * @param nacks how many NACKs the node has sent
 * @param problems the problems of the last run
 */
public record NodeStatus(
    String node,
    Optional<String> source,
    Optional<PassthroughPipeline.Status> outcome,
    List<String> appliedPolicies,
    Optional<String> listenersVersion,
    Optional<String> clustersVersion,
    Optional<Instant> updatedAt,
    int streams,
    SortedMap<String, Ack> lastAcks,
    Optional<Nack> lastNack,
    long nacks,
    List<Problem> problems) {

  /**
   * Copies the collections.
   *
   * @param node the node key, not null
   * @param source where the proxy was read from, not null
   * @param outcome how the last run ended, not null
   * @param appliedPolicies the applied policies; copied; not null
   * @param listenersVersion the listeners version served, not null
   * @param clustersVersion the clusters version served, not null
   * @param updatedAt when the proxy was last run, not null
   * @param streams how many streams are open, not negative
   * @param lastAcks the last accepted version per type URL; copied; not null
   * @param lastNack the last rejected version, not null
   * @param nacks how many NACKs, not negative
   * @param problems the problems of the last run; copied; not null
   * @throws NullPointerException when an argument is null
   */
  public NodeStatus {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(outcome, "outcome");
    appliedPolicies = List.copyOf(appliedPolicies);
    Objects.requireNonNull(listenersVersion, "listenersVersion");
    Objects.requireNonNull(clustersVersion, "clustersVersion");
    Objects.requireNonNull(updatedAt, "updatedAt");
    lastAcks = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(lastAcks));
    Objects.requireNonNull(lastNack, "lastNack");
    problems = List.copyOf(problems);
  }

  /**
   * A version an Envoy accepted.
   *
   * @param version the version
   * @param at when the ACK arrived
   */
  public record Ack(String version, Instant at) {
    /**
     * Checks for null.
     *
     * @param version the version, not null
     * @param at when the ACK arrived, not null
     */
    public Ack {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A version an Envoy rejected.
   *
   * @param typeUrl the resource type
   * @param version the version rejected
   * @param error Envoy's error text
   * @param at when the NACK arrived
   */
  public record Nack(String typeUrl, String version, String error, Instant at) {
    /**
     * Checks for null.
     *
     * @param typeUrl the resource type, not null
     * @param version the version rejected, not null
     * @param error Envoy's error text, not null
     * @param at when the NACK arrived, not null
     */
    public Nack {
      Objects.requireNonNull(typeUrl, "typeUrl");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * The last accepted version of one type.
   *
   * @param typeUrl the resource type URL
   * @return the ACK, if any
   */
  public Optional<Ack> lastAck(String typeUrl) {
    return Optional.ofNullable(lastAcks.get(typeUrl));
  }
}
