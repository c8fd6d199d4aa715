package dev.meshpassthrough.core.resolve.internal;

import dev.meshpassthrough.core.model.PolicyMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * The labels selection and precedence read (docs/selection-and-merge.md#labels-read), with Kuma's
 * "missing or empty" rule.
 */
public final class KumaLabels {
  /** Who created a policy or proxy: {@code zone} or {@code global}. */
  public static final String ORIGIN = "kuma.io/origin";

  /**
   * A policy's role: {@code system}, {@code producer}, {@code consumer}, {@code workload-owner}.
   */
  public static final String ROLE = "kuma.io/policy-role";

  /** The Kubernetes namespace of a policy or proxy. */
  public static final String NAMESPACE = "k8s.kuma.io/namespace";

  /** The zone of a policy or proxy. */
  public static final String ZONE = "kuma.io/zone";

  /** {@code shadow} marks a policy that takes no part in real configuration. */
  public static final String EFFECT = "kuma.io/effect";

  /** The name users see. */
  public static final String DISPLAY_NAME = PolicyMetadata.DISPLAY_NAME_LABEL;

  /** The role of a policy without the label. */
  public static final String SYSTEM = "system";

  /** The only role that crosses zones. */
  public static final String PRODUCER = "producer";

  /** A role whose policies stay in their namespace. */
  public static final String CONSUMER = "consumer";

  /** The role of policies in application namespaces. */
  public static final String WORKLOAD_OWNER = "workload-owner";

  /** Origin of policies created on a zone. */
  public static final String ZONE_ORIGIN = "zone";

  /** Origin of policies created on Global. */
  public static final String GLOBAL_ORIGIN = "global";

  private KumaLabels() {}

  /** The value of {@code key}, when set and not empty. */
  public static Optional<String> get(Map<String, String> labels, String key) {
    return Optional.ofNullable(labels.get(key)).filter(v -> !v.isEmpty());
  }

  /** The role: the label, or {@code system} when it is missing or empty. */
  public static String role(Map<String, String> labels) {
    return get(labels, ROLE).orElse(SYSTEM);
  }

  /** Whether the policy is a shadow ({@code kuma.io/effect: shadow}). */
  public static boolean shadow(Map<String, String> labels) {
    return "shadow".equals(labels.get(EFFECT));
  }
}
