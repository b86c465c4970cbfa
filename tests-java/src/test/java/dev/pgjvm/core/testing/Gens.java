package dev.pgjvm.core.testing;

import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * QuickTheories generators that the property tests share, and the settings every property runs
 * with. QuickTheories draws each value from a stream of random numbers and shrinks a failure by
 * shrinking those numbers, so whatever is built here with {@code map}, {@code zip} and
 * {@code flatMap} shrinks too: lists and strings towards short ones, numbers towards the low end
 * of their range, a choice towards its first option.
 */
public final class Gens {
    /**
     * Shrinking gives up after this many reruns of a falsified property, reporting the smallest
     * input found so far: a failure is reported within seconds, not after minutes.
     */
    public static final int SHRINK_CYCLES = 2_000;
    /** At most this many bytes of an array are shown in a report. */
    private static final int SHOWN_BYTES = 256;

    private Gens() {
    }

    /**
     * A property that draws {@code examples} inputs from {@code seed}: the same ones on every
     * run. A falsified property throws an AssertionError naming the smallest input found, the
     * cause, and the seed.
     */
    public static QuickTheory theory(long seed, int examples) {
        return QuickTheory.qt().withFixedSeed(seed).withExamples(examples).withShrinkCycles(SHRINK_CYCLES);
    }

    /** The generator, with its values shown in reports by {@link #show}. */
    public static <T> Gen<T> shown(Gen<T> gen) {
        return gen.describedAs(Gens::show);
    }

    public static Gen<Integer> ints(int min, int max) {
        return Generate.range(min, max);
    }

    public static Gen<Integer> anyInt() {
        return SourceDSL.integers().all();
    }

    public static Gen<Byte> anyByte() {
        return shown(Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    public static Gen<Boolean> booleans() {
        return shown(Generate.booleans());
    }

    /** Any of the values, evenly; shrinks towards the first. */
    @SafeVarargs
    public static <T> Gen<T> pick(T... values) {
        return shown(Generate.pick(Arrays.asList(values)));
    }

    /** Each generator in turn is picked {@code weight} times in {@code sum of weights}. */
    @SafeVarargs
    public static <T> Gen<T> weighted(Pair<Integer, Gen<T>>... choices) {
        return shown(Generate.frequency(Arrays.asList(choices)));
    }

    public static <T> Pair<Integer, Gen<T>> weight(int weight, Gen<T> gen) {
        return Pair.of(weight, gen);
    }

    /** The generator's values, or null {@code percentNull} times in a hundred. */
    public static <T> Gen<T> orNull(Gen<T> gen, int percentNull) {
        return weighted(weight(100 - percentNull, gen), weight(percentNull, Generate.constant((T) null)));
    }

    public static Gen<byte[]> bytes(int minSize, int maxSize) {
        return shown(Generate.byteArrays(ints(minSize, maxSize), anyByte()));
    }

    /** A character between {@code first} and {@code last}, evenly. */
    public static Gen<Character> charRange(char first, char last) {
        return ints(first, last).map(i -> (char) i.intValue());
    }

    /** One of the characters of {@code chars}, evenly. */
    public static Gen<Character> charsOf(String chars) {
        List<Character> each = new ArrayList<>();
        for (char c : chars.toCharArray()) {
            each.add(c);
        }
        return Generate.pick(each);
    }

    /** Strings of up to {@code maxLength} characters from {@code chars}. */
    public static Gen<String> strings(Gen<Character> chars, int maxLength) {
        return shown(lists(chars, 0, maxLength).map(cs -> {
            StringBuilder s = new StringBuilder(cs.size());
            cs.forEach(s::append);
            return s.toString();
        }));
    }

    public static <T> Gen<List<T>> lists(Gen<T> element, int minSize, int maxSize) {
        return shown(SourceDSL.lists().of(element).ofSizeBetween(minSize, maxSize));
    }

    /**
     * Maps of up to {@code maxSize} entries (a key drawn twice keeps its first value), iterated
     * in the order their keys were drawn.
     */
    public static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int maxSize) {
        return shown(lists(keys.zip(values, Pair::of), 0, maxSize).map(pairs -> {
            Map<K, V> map = new LinkedHashMap<>();
            pairs.forEach(p -> map.putIfAbsent(p._1, p._2));
            return map;
        }));
    }

    /**
     * A value as a report shows it: byte arrays in hex, strings and characters quoted with
     * their control characters escaped, collections and maps element by element.
     */
    public static String show(Object value) {
        if (value instanceof byte[] b) {
            StringBuilder s = new StringBuilder("bytes[" + b.length + "]{");
            for (int i = 0; i < Math.min(b.length, SHOWN_BYTES); i++) {
                s.append(String.format("%02x", b[i] & 0xff));
            }
            return s.append(b.length > SHOWN_BYTES ? "...}" : "}").toString();
        }
        if (value instanceof String s) {
            return '"' + escape(s) + '"';
        }
        if (value instanceof Character c) {
            return "'" + escape(String.valueOf(c)) + "'";
        }
        if (value instanceof Byte b) {
            int u = b & 0xff;
            return String.format("0x%02x", u) + (u >= 0x20 && u < 0x7f ? " '" + (char) u + "'" : "");
        }
        if (value instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            c.forEach(e -> j.add(show(e)));
            return j.toString();
        }
        if (value instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            m.forEach((k, v) -> j.add(show(k) + "=" + show(v)));
            return j.toString();
        }
        return String.valueOf(value);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
