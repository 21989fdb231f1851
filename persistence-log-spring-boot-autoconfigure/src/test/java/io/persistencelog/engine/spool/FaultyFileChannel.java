package io.persistencelog.engine.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.Consumer;

/**
 * A real file channel with faults on demand: a write that stores only part of its bytes and then fails
 * with "No space left on device", and a record of every force and close for fsync assertions.
 */
class FaultyFileChannel extends FileChannel {

    private final FileChannel real;
    private final String name;
    private final Consumer<String> events;
    /** Bytes the next write may store before it fails; negative for no fault. */
    private long failAfterBytes = -1;
    /** Writes that succeed before the faulty one. */
    private int writesToPass;

    FaultyFileChannel(FileChannel real, String name, Consumer<String> events) {
        this.real = real;
        this.name = name;
        this.events = events;
    }

    /** The next write stores this many bytes, then fails like a full disk. */
    void failNextWriteAfter(long bytes) {
        failWriteAfter(0, bytes);
    }

    /** Lets {@code passing} writes through; the one after stores {@code bytes} bytes, then fails. */
    void failWriteAfter(int passing, long bytes) {
        this.writesToPass = passing;
        this.failAfterBytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] { src }, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (failAfterBytes < 0 || writesToPass-- > 0) {
            return real.write(srcs, offset, length);
        }
        long budget = failAfterBytes;
        failAfterBytes = -1;
        for (int i = offset; i < offset + length && budget > 0; i++) {
            ByteBuffer part = srcs[i].duplicate();
            int n = (int) Math.min(budget, part.remaining());
            part.limit(part.position() + n);
            while (part.hasRemaining()) {
                real.write(part);
            }
            srcs[i].position(srcs[i].position() + n);
            budget -= n;
        }
        throw new IOException("No space left on device");
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        events.accept("force " + name);
        real.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return real.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        events.accept("close " + name);
        real.close();
    }
}
