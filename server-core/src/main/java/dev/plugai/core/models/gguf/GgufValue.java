package dev.plugai.core.models.gguf;

import java.util.List;
import java.util.Optional;

/** One typed metadata value of a GGUF file. */
public sealed interface GgufValue {

    GgufValueType type();

    /** Any integer type; unsigned 64-bit values above {@code Long.MAX_VALUE} read as negative. */
    record Int(GgufValueType type, long value) implements GgufValue {
    }

    /** {@code FLOAT32} or {@code FLOAT64}. */
    record Float(GgufValueType type, double value) implements GgufValue {
    }

    record Bool(boolean value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }
    }

    record Str(String value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }
    }

    /**
     * An array. Long arrays (a vocabulary of 150,000 tokens) are read past but not kept: then
     * {@code elements} is empty while {@code length} says how many there were.
     */
    record Array(GgufValueType elementType, long length, List<GgufValue> elements) implements GgufValue {

        public Array {
            elements = List.copyOf(elements);
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.ARRAY;
        }

        public boolean kept() {
            return elements.size() == length;
        }
    }

    /** The value as a number, if it is one. */
    default Optional<Double> asNumber() {
        return switch (this) {
            case Int integer -> Optional.of((double) integer.value());
            case Float real -> Optional.of(real.value());
            default -> Optional.empty();
        };
    }

    /** The value as an integer, if it is one. */
    default Optional<Long> asLong() {
        return this instanceof Int integer ? Optional.of(integer.value()) : Optional.empty();
    }

    /** The value as a string, if it is one. */
    default Optional<String> asString() {
        return this instanceof Str str ? Optional.of(str.value()) : Optional.empty();
    }
}
