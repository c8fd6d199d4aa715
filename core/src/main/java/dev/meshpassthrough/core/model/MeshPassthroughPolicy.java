package dev.meshpassthrough.core.model;

/**
 * A validated MeshPassthrough policy.
 *
 * @param metadata who the policy is
 * @param targetRef which proxies it selects ({@link TargetRef#mesh()} when the document had none)
 * @param conf its {@code spec.default}
 */
public record MeshPassthroughPolicy(
    PolicyMetadata metadata, TargetRef targetRef, PassthroughConf conf) {}
