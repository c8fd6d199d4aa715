/**
 * Test policies offline: an Envoy decision simulator, the intent of a policy, AssertJ assertions,
 * jqwik arbitraries, and acceptance by a real Envoy.
 *
 * <p>Exports the public packages only; {@code ...internal} packages are not API.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.meshpassthrough.testkit {
  requires transitive dev.meshpassthrough.envoy;
  // PolicyAssert is an AssertJ assertion; PassthroughArbitraries hands out jqwik Arbitraries.
  requires transitive org.assertj.core;
  requires transitive net.jqwik.api;
  requires api;
  requires com.google.protobuf;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.google.common;
  requires java.net.http;
  requires static transitive org.jspecify;

  exports dev.meshpassthrough.testkit;
  exports dev.meshpassthrough.testkit.acceptance;
  exports dev.meshpassthrough.testkit.envoy;
  exports dev.meshpassthrough.testkit.jqwik;
}
