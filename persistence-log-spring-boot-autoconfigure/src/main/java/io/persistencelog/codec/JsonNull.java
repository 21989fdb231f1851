package io.persistencelog.codec;

/** Stands for a null value in an entry's field map, whose values are never Java nulls. */
public enum JsonNull {
    INSTANCE;

    @Override
    public String toString() {
        return "null";
    }
}
