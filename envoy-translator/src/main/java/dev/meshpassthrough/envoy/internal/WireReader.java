package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.WireFormat;

/**
 * Reads a protobuf encoding held in an array, for {@link ProtoJsonStream} and {@link
 * YamlWireCheck}: tags, varints, fixed values and the bounds of length-delimited values, without an
 * object per value (protobuf's {@code CodedInputStream} was about a third of writing a document,
 * its byte buffers and strings most of the allocation). Reads only as far as its limit; a malformed
 * encoding is an {@link IllegalStateException} (resources are encoded by protobuf itself, so it
 * means a broken invariant). Groups are not read: no resource type has one.
 */
final class WireReader {
  private final byte[] bytes;
  private int position;
  private int limit;

  /** A reader of the {@code length} bytes of {@code bytes} from {@code offset}. */
  WireReader(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IllegalStateException("a range of the encoding");
    }
    this.bytes = bytes;
    this.position = offset;
    this.limit = offset + length;
  }

  byte[] bytes() {
    return bytes;
  }

  int position() {
    return position;
  }

  int limit() {
    return limit;
  }

  boolean isAtEnd() {
    return position >= limit;
  }

  /** The next tag, or 0 at the limit. */
  int readTag() {
    if (position >= limit) {
      return 0;
    }
    int tag = readVarint32();
    if (WireFormat.getTagFieldNumber(tag) == 0) {
      throw new IllegalStateException("a tag of field number 0");
    }
    return tag;
  }

  /**
   * A varint's low 32 bits (protobuf's {@code readRawVarint32}): a one-byte varint, as most tags
   * and lengths are, read at once.
   */
  int readVarint32() {
    int at = position;
    if (at < limit) {
      byte first = bytes[at];
      if (first >= 0) {
        position = at + 1;
        return first;
      }
    }
    return (int) readVarint64();
  }

  long readVarint64() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= limit) {
        throw new IllegalStateException("a varint past the end of the encoding");
      }
      byte b = bytes[position++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalStateException("a malformed varint");
  }

  int readFixed32() {
    int at = advance(4);
    return (bytes[at] & 0xff)
        | (bytes[at + 1] & 0xff) << 8
        | (bytes[at + 2] & 0xff) << 16
        | (bytes[at + 3] & 0xff) << 24;
  }

  long readFixed64() {
    return (readFixed32() & 0xffffffffL) | (long) readFixed32() << 32;
  }

  /**
   * Reads a length-delimited value's length and moves past the value, giving where it starts; its
   * length is {@link #position()} minus that.
   */
  int readDelimited() {
    int length = readVarint32();
    if (length < 0) {
      throw new IllegalStateException("a negative length");
    }
    return advance(length);
  }

  /** Reads a length and limits reading to the value it measures, giving the previous limit. */
  int pushLimit() {
    int length = readVarint32();
    int end = position + length;
    if (length < 0 || end > limit) {
      throw new IllegalStateException("a length past the end of the encoding");
    }
    int previous = limit;
    limit = end;
    return previous;
  }

  /** Moves past the value limited by {@link #pushLimit} and restores the previous limit. */
  void popLimit(int previous) {
    position = limit;
    limit = previous;
  }

  /** Moves to the limit, past whatever is left before it. */
  void skipToLimit() {
    position = limit;
  }

  /** Skips the value of {@code tag}. */
  void skipField(int tag) {
    skipValue(WireFormat.getTagWireType(tag));
  }

  /** Skips one value of {@code wireType}; a group is an {@link IllegalStateException}. */
  void skipValue(int wireType) {
    switch (wireType) {
      case WireFormat.WIRETYPE_VARINT -> readVarint64();
      case WireFormat.WIRETYPE_FIXED64 -> advance(8);
      case WireFormat.WIRETYPE_FIXED32 -> advance(4);
      case WireFormat.WIRETYPE_LENGTH_DELIMITED -> readDelimited();
      default -> throw new IllegalStateException("a group or a malformed wire type: " + wireType);
    }
  }

  /** Moves {@code count} bytes on, giving where they start. */
  private int advance(int count) {
    int at = position;
    if (count > limit - at) {
      throw new IllegalStateException("a value past the end of the encoding");
    }
    position = at + count;
    return at;
  }
}
