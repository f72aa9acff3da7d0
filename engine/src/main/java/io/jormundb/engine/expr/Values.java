package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Bytes;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * DynamoDB's comparisons between attribute values. Equality is {@link AttributeValue#equals}
 * (numbers by value, sets regardless of order). Only two values of the same scalar type are
 * ordered: numbers numerically, binaries by unsigned bytes, strings by their UTF-8 bytes — which
 * is code point order, so {@code "\uFFFF" < "\uD83D\uDE00"} although UTF-16 says otherwise.
 */
final class Values {
    private Values() {
    }

    /** True when {@code a} and {@code b} are both S, both N or both B. */
    static boolean ordered(AttributeValue a, AttributeValue b) {
        return a instanceof AttributeValue.S && b instanceof AttributeValue.S
                || a instanceof AttributeValue.N && b instanceof AttributeValue.N
                || a instanceof AttributeValue.B && b instanceof AttributeValue.B;
    }

    /** Compares two values for which {@link #ordered} holds. */
    static int compare(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.S s -> compareStrings(s.value(), ((AttributeValue.S) b).value());
            case AttributeValue.N n -> n.value().compareTo(((AttributeValue.N) b).value());
            case AttributeValue.B x -> x.value().compareTo(((AttributeValue.B) b).value());
            default -> throw new IllegalArgumentException("not an ordered type: " + a.type());
        };
    }

    /** Compares strings by code point, which is the order of their UTF-8 encodings. */
    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    static boolean isScalarOrderedType(String type) {
        return type.equals("S") || type.equals("N") || type.equals("B");
    }

    static boolean isSet(AttributeValue v) {
        return v instanceof AttributeValue.SS || v instanceof AttributeValue.NS || v instanceof AttributeValue.BS;
    }

    /** {@code begins_with}: both S or both B, and {@code prefix} is a prefix of {@code value}. */
    static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
        if (value instanceof AttributeValue.S s && prefix instanceof AttributeValue.S p) {
            String v = s.value();
            String q = p.value();
            // a prefix ending inside a surrogate pair is not a prefix of the UTF-8 bytes
            return v.startsWith(q) && (q.length() == v.length() || !Character.isLowSurrogate(v.charAt(q.length()))
                    || q.isEmpty());
        }
        if (value instanceof AttributeValue.B b && prefix instanceof AttributeValue.B p) {
            return startsWith(b.value(), p.value(), 0);
        }
        return false;
    }

    /**
     * {@code contains}: a substring of a string, a byte run of a binary, a member of a set of the
     * element's type, or an element of a list.
     */
    static boolean contains(AttributeValue container, AttributeValue element) {
        return switch (container) {
            case AttributeValue.S s -> element instanceof AttributeValue.S e && s.value().contains(e.value());
            case AttributeValue.B b -> element instanceof AttributeValue.B e && indexOf(b.value(), e.value()) >= 0;
            case AttributeValue.SS ss -> element instanceof AttributeValue.S e && ss.values().contains(e.value());
            case AttributeValue.NS ns -> element instanceof AttributeValue.N e && ns.values().contains(e.value());
            case AttributeValue.BS bs -> element instanceof AttributeValue.B e && bs.values().contains(e.value());
            case AttributeValue.L l -> l.values().contains(element);
            default -> false;
        };
    }

    /** {@code size}: characters (UTF-16 units) of a string, bytes of a binary, members, elements or entries. */
    static AttributeValue.N size(AttributeValue v) {
        long size = switch (v) {
            case AttributeValue.S s -> s.value().length();
            case AttributeValue.B b -> b.value().length();
            case AttributeValue.SS s -> s.values().size();
            case AttributeValue.NS s -> s.values().size();
            case AttributeValue.BS s -> s.values().size();
            case AttributeValue.L l -> l.values().size();
            case AttributeValue.M m -> m.values().size();
            default -> -1;
        };
        return size < 0 ? null : new AttributeValue.N(BigDecimal.valueOf(size));
    }

    /** Union of two sets of the same type, members of {@code a} first. */
    static AttributeValue union(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.SS x -> new AttributeValue.SS(merged(x.values(), ((AttributeValue.SS) b).values()));
            case AttributeValue.NS x -> new AttributeValue.NS(merged(x.values(), ((AttributeValue.NS) b).values()));
            case AttributeValue.BS x -> new AttributeValue.BS(merged(x.values(), ((AttributeValue.BS) b).values()));
            default -> throw new IllegalArgumentException("not a set: " + a.type());
        };
    }

    /** The members of set {@code a} not in set {@code b} (same type), or null when none remain. */
    static AttributeValue difference(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.SS x -> {
                Set<String> rest = without(x.values(), ((AttributeValue.SS) b).values());
                yield rest.isEmpty() ? null : new AttributeValue.SS(rest);
            }
            case AttributeValue.NS x -> {
                Set<BigDecimal> rest = without(x.values(), ((AttributeValue.NS) b).values());
                yield rest.isEmpty() ? null : new AttributeValue.NS(rest);
            }
            case AttributeValue.BS x -> {
                Set<Bytes> rest = without(x.values(), ((AttributeValue.BS) b).values());
                yield rest.isEmpty() ? null : new AttributeValue.BS(rest);
            }
            default -> throw new IllegalArgumentException("not a set: " + a.type());
        };
    }

    static AttributeValue.L concat(AttributeValue.L a, AttributeValue.L b) {
        List<AttributeValue> all = new ArrayList<>(a.values());
        all.addAll(b.values());
        return new AttributeValue.L(all);
    }

    /** How DynamoDB shows a BETWEEN bound in a message: {@code AttributeValue: {S:abc}}. */
    static String describeBound(AttributeValue v) {
        String content = switch (v) {
            case AttributeValue.S s -> s.value();
            case AttributeValue.N n -> n.text();
            case AttributeValue.B b -> "java.nio.HeapByteBuffer[pos=0 lim=" + b.value().length() + " cap="
                    + b.value().length() + "]";
            default -> String.valueOf(v);
        };
        return "AttributeValue: {" + v.type() + ":" + content + "}";
    }

    private static <T> Set<T> merged(Set<T> a, Set<T> b) {
        Set<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static <T> Set<T> without(Set<T> a, Set<T> b) {
        Set<T> rest = new LinkedHashSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    private static int indexOf(Bytes haystack, Bytes needle) {
        for (int i = 0; i + needle.length() <= haystack.length(); i++) {
            if (startsWith(haystack, needle, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(Bytes value, Bytes prefix, int offset) {
        if (offset + prefix.length() > value.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (value.get(offset + i) != prefix.get(i)) {
                return false;
            }
        }
        return true;
    }
}
