package dev.meshpassthrough.testkit.acceptance.internal;

import com.google.protobuf.Any;

/**
 * Envoy finds a filter's factory by the type of its {@code typed_config}: a type of Envoy's API
 * that configures another kind of filter (an HTTP filter's config under a network filter, a network
 * filter's under a listener filter) has no factory, and Envoy rejects the listener with "Didn't
 * find a registered implementation for 'name' with type URL: 'type'". Types outside Envoy's API
 * ({@code TypedStruct}, a user's extension) are left to the unknown-type check.
 */
final class FilterTypeRules {
  /** The kinds of filter and the proto package their configurations live in. */
  enum Kind {
    LISTENER("envoy.extensions.filters.listener."),
    NETWORK("envoy.extensions.filters.network."),
    HTTP("envoy.extensions.filters.http.");

    private final String typePrefix;

    Kind(String typePrefix) {
      this.typePrefix = typePrefix;
    }
  }

  private FilterTypeRules() {}

  static void check(String filterName, Any config, Kind kind, String path, ProblemSink sink) {
    String type = config.getTypeUrl().substring(config.getTypeUrl().lastIndexOf('/') + 1);
    boolean envoyApi = type.startsWith("envoy.") || type.startsWith("google.protobuf.");
    if (envoyApi && !type.startsWith(kind.typePrefix)) {
      sink.add(
          path + ".typedConfig",
          "listener.filter.type",
          "Didn't find a registered implementation for '"
              + filterName
              + "' with type URL: '"
              + type
              + "': a "
              + kind.name().toLowerCase(java.util.Locale.ROOT)
              + " filter needs a type under "
              + kind.typePrefix);
    }
  }
}
