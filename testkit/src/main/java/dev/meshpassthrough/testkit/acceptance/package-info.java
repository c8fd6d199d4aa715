/**
 * Would Envoy accept this configuration? {@link
 * dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance} checks listeners and clusters against
 * every protoc-gen-validate rule of Envoy's API and the semantic rules Envoy applies when it builds
 * listeners, routes and clusters, plus the accepted-but-wrong traps a generator must avoid.
 */
@NullMarked
package dev.meshpassthrough.testkit.acceptance;

import org.jspecify.annotations.NullMarked;
