package io.persistencelog.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer reused across entries so encoding does not allocate per line. */
public final class ByteSink extends OutputStream {

    /** Above this a buffer is given back once empty: one huge line must not pin its memory for ever. */
    public static final int RETAINED_CAPACITY = 1 << 20;

    private final int initialCapacity;
    private byte[] bytes;
    private int size;

    public ByteSink(int initialCapacity) {
        this.initialCapacity = Math.max(64, initialCapacity);
        bytes = new byte[this.initialCapacity];
    }

    /** Capacity of the current buffer, in bytes. */
    public int capacity() {
        return bytes.length;
    }

    /**
     * Drops an oversized buffer while empty, back to the initial capacity. Called before each line, so the
     * common case (lines of some hundred bytes) never reallocates and a rare huge line costs one allocation.
     */
    public void shrinkIfOversized() {
        if (size == 0 && bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[initialCapacity];
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, bytes, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    /** Drops everything after {@code newSize}. */
    public void truncate(int newSize) {
        size = Math.min(size, Math.max(0, newSize));
    }

    public byte[] array() {
        return bytes;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }
}
