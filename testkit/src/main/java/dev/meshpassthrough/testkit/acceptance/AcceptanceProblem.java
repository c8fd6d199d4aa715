package dev.meshpassthrough.testkit.acceptance;

/**
 * One reason Envoy would reject, or silently mishandle, a resource.
 *
 * @param resource the listener or cluster name, for example {@code Listener
 *     self_transparentproxy_passthrough_outbound_ipv4}
 * @param path where inside it, as proto JSON field names, for example {@code
 *     filterChains[2].filterChainMatch.destinationPort}
 * @param rule a stable id: {@code pgv.<rule>} for protoc-gen-validate rules, {@code listener.*},
 *     {@code route.*}, {@code cluster.*} or {@code trap.*} for the rest
 * @param message what is wrong, with Envoy's own words where it has them
 */
public record AcceptanceProblem(String resource, String path, String rule, String message) {
  /** Renders {@code resource path: message [rule]}. */
  @Override
  public String toString() {
    return resource + " " + path + ": " + message + " [" + rule + "]";
  }
}
