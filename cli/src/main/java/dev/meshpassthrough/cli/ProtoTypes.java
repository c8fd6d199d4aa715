package dev.meshpassthrough.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.testkit.acceptance.EnvoyAcceptance;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the message type a type URL names ({@code
 * type.googleapis.com/envoy.config.listener.v3.Listener}), among the generated classes of Envoy's
 * API on the class path, so that {@code lint} can read whatever a real Envoy's {@code /config_dump}
 * packs in {@code Any} (RBAC, Lua, access loggers...), not only the types the translator writes.
 *
 * <p>Only names of proto identifiers are looked up, only in the packages of Envoy's API, xDS, UDPA
 * and protobuf's well-known types, and only classes that are protobuf messages are used.
 */
final class ProtoTypes {
  private static final Pattern FULL_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){1,30}");

  /** Proto package prefix, and the Java package prefix its classes live under. */
  private static final List<String[]> PACKAGES =
      List.of(
          new String[] {"envoy.", "io.envoyproxy.envoy."},
          new String[] {"xds.", "com.github.xds."},
          new String[] {"udpa.", "com.github.udpa.udpa."},
          new String[] {"google.protobuf.", "com.google.protobuf."});

  private ProtoTypes() {}

  /** The full name of a type URL: what follows its last {@code /}. */
  static String fullName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }

  /** The message type called {@code fullName}, if Envoy's API on the class path has it. */
  static Optional<Descriptor> find(String fullName) {
    for (Descriptor known : EnvoyAcceptance.knownPackedTypes()) {
      if (known.getFullName().equals(fullName)) {
        return Optional.of(known);
      }
    }
    if (!FULL_NAME.matcher(fullName).matches()) {
      return Optional.empty();
    }
    for (String[] mapping : PACKAGES) {
      if (fullName.startsWith(mapping[0])) {
        return load(mapping[1] + javaName(fullName.substring(mapping[0].length())), fullName);
      }
    }
    return Optional.empty();
  }

  /** A registry of {@code descriptors} and of the types {@code lint} always knows. */
  static JsonFormat.TypeRegistry registry(List<Descriptor> descriptors) {
    return JsonFormat.TypeRegistry.newBuilder()
        .add(EnvoyAcceptance.knownPackedTypes())
        .add(descriptors)
        .build();
  }

  /**
   * {@code a.b.Outer.Inner} as a binary class name below the package prefix: {@code
   * a.b.Outer$Inner}.
   */
  private static String javaName(String rest) {
    String[] parts = rest.split("\\.");
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.append(inClass ? '$' : '.');
      }
      out.append(parts[i]);
      inClass = inClass || Character.isUpperCase(parts[i].charAt(0));
    }
    return out.toString();
  }

  private static Optional<Descriptor> load(String className, String fullName) {
    try {
      Class<?> type = Class.forName(className, false, ProtoTypes.class.getClassLoader());
      if (!Message.class.isAssignableFrom(type)) {
        return Optional.empty();
      }
      Descriptor descriptor = (Descriptor) type.getMethod("getDescriptor").invoke(null);
      return descriptor.getFullName().equals(fullName) ? Optional.of(descriptor) : Optional.empty();
    } catch (ClassNotFoundException
        | LinkageError
        | NoSuchMethodException
        | IllegalAccessException
        | InvocationTargetException
        | ClassCastException e) {
      return Optional.empty();
    }
  }
}
