package dev.meshpassthrough.envoy;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The content hash of {@link TranslationResult#contentVersion()}. */
final class ContentVersion {
  private ContentVersion() {}

  static String of(List<Listener> listeners, List<Cluster> clusters) {
    Hasher hasher = Hashing.sha256().newHasher();
    listeners.forEach(
        l -> add(hasher, "type.googleapis.com/envoy.config.listener.v3.Listener", l.getName(), l));
    clusters.forEach(
        c -> add(hasher, "type.googleapis.com/envoy.config.cluster.v3.Cluster", c.getName(), c));
    return hasher.hash().toString();
  }

  /** Length-prefixed fields, so that no two different resource lists hash the same bytes. */
  private static void add(Hasher hasher, String typeUrl, String name, Message resource) {
    byte[] type = typeUrl.getBytes(StandardCharsets.UTF_8);
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = deterministicBytes(resource);
    hasher
        .putInt(type.length)
        .putBytes(type)
        .putInt(key.length)
        .putBytes(key)
        .putInt(bytes.length)
        .putBytes(bytes);
  }

  /** Protobuf's deterministic serialization: map entries sorted by key, not by hash order. */
  private static byte[] deterministicBytes(Message message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.getSerializedSize());
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.useDeterministicSerialization();
    try {
      message.writeTo(coded);
      coded.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
