package io.jormundb.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits expression text into tokens the way DynamoDB's grammar sees it: names start with a letter
 * and go on with letters, digits and {@code _}; {@code #name} and {@code :name} are placeholders;
 * digits are list indexes ({@code 0} alone, or a run not starting with {@code 0}); the operators are
 * {@code = <> < <= > >= ( ) [ ] , . + -}. Any other character is a token of its own that no rule
 * accepts, so it surfaces as a syntax error. A list of tokens always ends with {@link Type#EOF}.
 */
final class Lexer {
    enum Type { NAME, HASH_NAME, COLON_VALUE, INTEGER, KEYWORD, OPERATOR, BAD, EOF }

    /** One token: its type, its text (keywords upper-cased) and where it stands in the expression. */
    record Token(Type type, String text, int start, int end) {
        boolean is(String s) {
            return (type == Type.OPERATOR || type == Type.KEYWORD) && text.equals(s);
        }
    }

    private static final Set<String> CONDITION_KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN");
    private static final Set<String> UPDATE_KEYWORDS = Set.of("SET", "REMOVE", "ADD", "DELETE");

    private Lexer() {
    }

    static List<Token> tokenize(String text, ExpressionKind kind) {
        Set<String> keywords = switch (kind) {
            case UPDATE -> UPDATE_KEYWORDS;
            case PROJECTION -> Set.of();
            default -> CONDITION_KEYWORDS;
        };
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            int start = i;
            Type type;
            if (isLetter(c)) {
                i = wordEnd(text, i + 1);
                String upper = text.substring(start, i).toUpperCase(Locale.ROOT);
                if (keywords.contains(upper)) {
                    tokens.add(new Token(Type.KEYWORD, upper, start, i));
                    continue;
                }
                type = Type.NAME;
            } else if (c == '#' || c == ':') {
                i = wordEnd(text, i + 1);
                type = i == start + 1 ? Type.BAD : c == '#' ? Type.HASH_NAME : Type.COLON_VALUE;
            } else if (c >= '0' && c <= '9') {
                i++;
                if (c != '0') {
                    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                        i++;
                    }
                }
                type = Type.INTEGER;
            } else if ((c == '<' || c == '>') && i + 1 < n && text.charAt(i + 1) == '='
                    || c == '<' && i + 1 < n && text.charAt(i + 1) == '>') {
                i += 2;
                type = Type.OPERATOR;
            } else if ("=<>()[],.+-".indexOf(c) >= 0) {
                i++;
                type = Type.OPERATOR;
            } else {
                i += Character.charCount(text.codePointAt(i));
                type = Type.BAD;
            }
            tokens.add(new Token(type, text.substring(start, i), start, i));
        }
        tokens.add(new Token(Type.EOF, "<EOF>", n, n));
        return tokens;
    }

    private static int wordEnd(String text, int i) {
        while (i < text.length() && isWordPart(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWordPart(char c) {
        return isLetter(c) || c >= '0' && c <= '9' || c == '_';
    }
}
