package dev.plugai.core.models.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads from a file through one fixed buffer. Every read first checks that the file
 * still holds the bytes, so a length taken from the file is never trusted before it is compared with
 * what is left. Not thread-safe.
 */
final class GgufInput {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    /** File position of {@code buffer}'s first byte. */
    private long bufferStart;

    GgufInput(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        buffer.limit(0);
    }

    long size() {
        return size;
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return size - position();
    }

    /** Fails unless {@code count} more bytes exist; {@code what} names them for the reason. */
    void require(long count, String what) {
        if (count < 0 || count > remaining()) {
            throw new GgufFormatException(what + " runs past the end of the file (needs " + Long.toUnsignedString(count)
                    + " bytes at offset " + position() + ", " + remaining() + " left)");
        }
    }

    int u8(String what) {
        return fill(1, what).get() & 0xFF;
    }

    int u16(String what) {
        return fill(2, what).getShort() & 0xFFFF;
    }

    int i32(String what) {
        return fill(4, what).getInt();
    }

    long u32(String what) {
        return Integer.toUnsignedLong(i32(what));
    }

    long i64(String what) {
        return fill(8, what).getLong();
    }

    float f32(String what) {
        return fill(4, what).getFloat();
    }

    double f64(String what) {
        return fill(8, what).getDouble();
    }

    /** A length-prefixed UTF-8 string of at most {@code maxBytes} bytes. */
    String string(String what, int maxBytes) {
        long length = i64(what + " length");
        if (length < 0 || length > maxBytes) {
            throw new GgufFormatException(what + " declares an absurd length of " + Long.toUnsignedString(length)
                    + " bytes (at most " + maxBytes + " allowed)");
        }
        require(length, what);
        byte[] bytes = new byte[(int) length];
        int done = 0;
        while (done < bytes.length) {
            ByteBuffer chunk = fill(Math.min(bytes.length - done, BUFFER_BYTES), what);
            int count = Math.min(bytes.length - done, chunk.remaining());
            chunk.get(bytes, done, count);
            done += count;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new GgufFormatException(what + " is not valid UTF-8");
        }
    }

    /** Reads past a length-prefixed string without keeping it. */
    void skipString(String what) {
        long length = i64(what + " length");
        require(length, what);
        skip(length);
    }

    void skip(long count) {
        long target = position() + count;
        if (target - bufferStart <= buffer.limit()) {
            buffer.position((int) (target - bufferStart));
        } else {
            bufferStart = target;
            buffer.limit(0);
        }
    }

    /** Makes {@code count} (at most one buffer's worth) bytes readable at the buffer's position. */
    private ByteBuffer fill(int count, String what) {
        require(count, what);
        if (buffer.remaining() >= count) {
            return buffer;
        }
        bufferStart = position();
        buffer.compact();
        try {
            while (buffer.position() < count) {
                if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
                    throw new GgufFormatException(what + " runs past the end of the file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.flip();
        return buffer;
    }
}
