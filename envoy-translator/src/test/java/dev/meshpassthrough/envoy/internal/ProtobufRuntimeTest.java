package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.File;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The protobuf-java runtime on the classpath runs the code that {@code
 * io.envoyproxy.controlplane:api} generated with protoc 3.25: every message reachable from the
 * types the translator packs builds, serialises and goes through proto3 JSON both ways.
 */
class ProtobufRuntimeTest {

  @Test
  void runtime_isTheTestedLine() throws Exception {
    try (JarFile jar =
        new JarFile(
            new File(Message.class.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
      // The api jar's code comes from protoc 3.25.x; another runtime line needs this suite to pass
      // on it first.
      assertThat(jar.getManifest().getMainAttributes().getValue("Bundle-Version"))
          .startsWith("3.25.");
    }
  }

  @Test
  void everyReachableMessage_buildsSerialisesAndRoundTripsThroughJson() throws IOException {
    Map<String, Message> reachable = reachableDefaults();
    JsonFormat.Printer printer =
        JsonFormat.printer()
            .usingTypeRegistry(EnvoyNames.TYPE_REGISTRY)
            .includingDefaultValueFields();
    JsonFormat.Parser parser = JsonFormat.parser().usingTypeRegistry(EnvoyNames.TYPE_REGISTRY);

    for (Message message : reachable.values()) {
      Message parsedBinary = message.getParserForType().parseFrom(message.toByteArray());
      assertThat(parsedBinary).isEqualTo(message);
      Message.Builder fromJson = message.newBuilderForType();
      parser.merge(printer.print(message), fromJson);
      assertThat(fromJson.build())
          .as(message.getDescriptorForType().getFullName())
          .isEqualTo(message);
    }
    assertThat(reachable).hasSizeGreaterThan(200);
  }

  /**
   * A default instance of every generated message reachable by fields from the registered types.
   */
  private static Map<String, Message> reachableDefaults() {
    Map<String, Message> seen = new LinkedHashMap<>();
    Deque<Message> queue = new ArrayDeque<>();
    for (Descriptor descriptor : EnvoyNames.ANY_TYPES) {
      queue.add(defaultOf(descriptor));
    }
    while (!queue.isEmpty()) {
      Message message = queue.poll();
      if (seen.putIfAbsent(message.getDescriptorForType().getFullName(), message) != null) {
        continue;
      }
      Message.Builder builder = message.newBuilderForType();
      for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()) {
          queue.add(builder.newBuilderForField(field).getDefaultInstanceForType());
        }
      }
    }
    return seen;
  }

  private static Message defaultOf(Descriptor descriptor) {
    try {
      Class<?> type = Class.forName(javaName(descriptor));
      return (Message) type.getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no generated class for " + descriptor.getFullName(), e);
    }
  }

  private static String javaName(Descriptor descriptor) {
    String javaPackage = descriptor.getFile().getOptions().getJavaPackage();
    return javaPackage + "." + descriptor.getName();
  }
}
