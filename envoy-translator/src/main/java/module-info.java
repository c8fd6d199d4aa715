/**
 * Translation of MeshPassthrough confs into Envoy v3 listeners and clusters.
 *
 * <p>Exports the public package only; {@code ...internal} is not API. The Envoy protos come from
 * java-control-plane's {@code io.envoyproxy.controlplane:api} jar, which has no module descriptor
 * and no {@code Automatic-Module-Name}: its automatic module name, {@code api}, is derived from the
 * file name {@code api-VERSION.jar}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.meshpassthrough.envoy {
  requires transitive dev.meshpassthrough.core;
  requires transitive dev.meshpassthrough.validation;
  // Our API hands out Envoy Listener and Cluster protos (TranslationResult, ProxyContext)...
  requires transitive api;
  requires transitive com.google.protobuf;
  // ...and writes to a Jackson JsonGenerator (TranslationResult.writeTo).
  requires transitive com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.google.protobuf.util;
  // protobuf-java-util (JsonFormat) is an automatic module and cannot require Gson itself: without
  // this, a module-path application fails with NoClassDefFoundError: com/google/gson/GsonBuilder.
  requires com.google.gson;
  requires com.google.common;
  requires static transitive org.jspecify;

  exports dev.meshpassthrough.envoy;
}
