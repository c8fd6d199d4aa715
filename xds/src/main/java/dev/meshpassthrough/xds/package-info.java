/**
 * Serving MeshPassthrough over xDS with java-control-plane: {@link
 * dev.meshpassthrough.xds.PassthroughControlPlane} keeps one snapshot per node, incrementally and
 * without churn; {@link dev.meshpassthrough.xds.AdsServer} serves it over gRPC; {@link
 * dev.meshpassthrough.xds.FileSource} feeds it from policy and proxy directories; {@link
 * dev.meshpassthrough.xds.StatusServer} shows it over HTTP.
 */
@NullMarked
package dev.meshpassthrough.xds;

import org.jspecify.annotations.NullMarked;
