package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link WireReader} with {@link ScalarJson} reads every scalar type as protobuf encodes it:
 * messages of one field of each type, with edge values and random ones (seed 19), are written as
 * JsonFormat prints them.
 */
class WireReaderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<FieldDescriptorProto.Type> TYPES =
      List.of(
          FieldDescriptorProto.Type.TYPE_INT32,
          FieldDescriptorProto.Type.TYPE_SINT32,
          FieldDescriptorProto.Type.TYPE_SFIXED32,
          FieldDescriptorProto.Type.TYPE_UINT32,
          FieldDescriptorProto.Type.TYPE_FIXED32,
          FieldDescriptorProto.Type.TYPE_INT64,
          FieldDescriptorProto.Type.TYPE_SINT64,
          FieldDescriptorProto.Type.TYPE_SFIXED64,
          FieldDescriptorProto.Type.TYPE_UINT64,
          FieldDescriptorProto.Type.TYPE_FIXED64,
          FieldDescriptorProto.Type.TYPE_BOOL,
          FieldDescriptorProto.Type.TYPE_FLOAT,
          FieldDescriptorProto.Type.TYPE_DOUBLE,
          FieldDescriptorProto.Type.TYPE_STRING,
          FieldDescriptorProto.Type.TYPE_BYTES);

  @Test
  void everyScalarType_isReadAsProtobufEncodesIt() throws Exception {
    Descriptor type = scalars();
    Random random = new Random(19);
    long[] edges = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
    for (int i = 0; i < 500; i++) {
      long bits = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(64);
      DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
      for (FieldDescriptor field : type.getFields()) {
        message.setField(field, value(field, bits));
      }
      DynamicMessage built = message.build();
      assertThat(viaWireReader(type, built.toByteArray()))
          .as("bits %d", bits)
          .isEqualTo(MAPPER.readTree(JsonFormat.printer().print(built)));
    }
  }

  @Test
  void aTruncatedEncoding_isABrokenInvariant() {
    WireReader reader = new WireReader(new byte[] {(byte) 0x80}, 0, 1);
    assertThatIllegalStateException().isThrownBy(reader::readVarint64);
    WireReader length = new WireReader(new byte[] {5, 1}, 0, 2);
    assertThatIllegalStateException().isThrownBy(length::readDelimited);
  }

  private static Object value(FieldDescriptor field, long bits) {
    return switch (field.getJavaType()) {
      case INT -> (int) bits;
      case LONG -> bits;
      case BOOLEAN -> bits != 0;
      case FLOAT -> (float) bits / 7;
      case DOUBLE -> (double) bits / 7;
      case STRING -> "s" + bits;
      case BYTE_STRING -> ByteString.copyFromUtf8("b" + bits);
      default -> throw new IllegalStateException("a scalar");
    };
  }

  /** The message's fields, each read from the encoding and written by ScalarJson, as a tree. */
  private static JsonNode viaWireReader(Descriptor type, byte[] encoding) throws IOException {
    MessageShape shape = MessageShape.of(type);
    WireReader in = new WireReader(encoding, 0, encoding.length);
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = MAPPER.createGenerator(text)) {
      generator.writeStartObject();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        FieldShape field = shape.field(tag >>> 3);
        generator.writeFieldName(field.jsonName().getValue());
        ScalarJson.write(generator, field, in);
      }
      generator.writeEndObject();
    }
    return MAPPER.readTree(text.toString());
  }

  private static Descriptor scalars() throws DescriptorValidationException {
    DescriptorProto.Builder message = DescriptorProto.newBuilder().setName("Scalars");
    for (int i = 0; i < TYPES.size(); i++) {
      message.addField(
          FieldDescriptorProto.newBuilder()
              .setName("f" + (i + 1))
              .setNumber(i + 1)
              .setType(TYPES.get(i))
              .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL));
    }
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("scalars.proto")
            .setPackage("test")
            .setSyntax("proto3")
            .addMessageType(message)
            .build();
    return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("Scalars");
  }
}
