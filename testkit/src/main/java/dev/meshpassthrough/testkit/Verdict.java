package dev.meshpassthrough.testkit;

/** Whether a connection may reach its destination: the policy's intent, or what Envoy does. */
public enum Verdict {
  /** The connection reaches a cluster (for passthrough: its original destination). */
  ALLOW,
  /** The connection is closed, stalls, or Envoy answers an HTTP request itself. */
  DENY
}
