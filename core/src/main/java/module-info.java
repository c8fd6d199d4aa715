/**
 * The MeshPassthrough policy model, its parser, and selection and merge for one proxy.
 *
 * <p>Exports the public packages only; {@code ...internal} packages are not API.
 */
module dev.meshpassthrough.core {
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.google.common;
  requires org.yaml.snakeyaml;
  // Annotations only (@NullMarked, @Nullable): visible to readers of our API, not needed at run
  // time.
  requires static transitive org.jspecify;

  exports dev.meshpassthrough.core;
  exports dev.meshpassthrough.core.diff;
  exports dev.meshpassthrough.core.document;
  exports dev.meshpassthrough.core.model;
  exports dev.meshpassthrough.core.parse;
  exports dev.meshpassthrough.core.resolve;
  // Not API: a proxy file is read once for both of its views, so envoy-translator's reader of the
  // resources part shares this package's ProxyTree and ProxyFileReader; qualified to that module
  // only.
  exports dev.meshpassthrough.core.resolve.internal to
      dev.meshpassthrough.envoy;
  // Not API: the guardrails file of the validation module is read with the policy parser's located
  // tree and limits; qualified to that module only.
  exports dev.meshpassthrough.core.parse.internal to
      dev.meshpassthrough.validation;
}
