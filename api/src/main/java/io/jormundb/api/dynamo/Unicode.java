package io.jormundb.api.dynamo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.ValueLimits;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Reads the strings and member names of a request and keeps the first that holds a lone UTF-16
 * surrogate ({@code "\ud800"}), which is not Unicode: the request is refused for it, naming its
 * place ({@code Item.sk.S}), once the whole body has parsed, so that broken JSON anywhere is
 * reported before it. The place is worked out from the parser's contexts only when one is found.
 */
final class Unicode {
    /** For JSON whose text was checked when the request was read. */
    static final Unicode CHECKED = new Unicode(false);

    private final boolean checks;
    private DynamoException first;

    private Unicode(boolean checks) {
        this.checks = checks;
    }

    /** A checker for one request. */
    static Unicode forRequest() {
        return new Unicode(true);
    }

    /** The string the parser stands on. */
    String text(JsonParser p) throws IOException {
        String text = p.getText();
        if (checks && first == null) {
            check(text, () -> "the string at " + path(p.getParsingContext(), true));
        }
        return text;
    }

    /** The member name the parser stands on. */
    String name(JsonParser p) throws IOException {
        String name = p.currentName();
        if (checks && first == null) {
            check(name, () -> {
                String in = path(p.getParsingContext(), false);
                return "a member name in " + (in.isEmpty() ? "the request" : in);
            });
        }
        return name;
    }

    /** Throws what was found, if anything. */
    void throwFirst() {
        if (first != null) {
            throw first;
        }
    }

    private interface Place {
        String describe();
    }

    private void check(String text, Place place) {
        int at = ValueLimits.loneSurrogate(text);
        if (at >= 0) {
            first = DynamoException.validation("One or more parameter values were invalid: " + place.describe()
                    + " is not valid Unicode: it holds a lone surrogate \\u"
                    + Integer.toHexString(text.charAt(at)).toUpperCase(Locale.ROOT) + " at character " + at);
        }
    }

    /**
     * {@code Item.l.L[0].S}: the names and indexes from the root to the current value; without
     * the current one's own name when {@code withCurrent} is false (the object a name is in).
     */
    private static String path(JsonStreamContext context, boolean withCurrent) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c == context && !withCurrent) {
                continue;
            }
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.getCurrentName());
        }
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (!path.isEmpty() && !part.startsWith("[")) {
                path.append('.');
            }
            path.append(part);
        }
        return path.toString();
    }
}
