package io.jormundb.api.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked-in corpus of malformed and hostile requests ({@code bad-input/corpus.jsonl},
 * written by {@code scripts/bad-input-corpus.py}): each case as the bytes to send and the answer
 * expected.
 */
final class BadInputCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPEAT = Pattern.compile("\\{\\{repeat (\\d+) (.)}}", Pattern.DOTALL);

    private BadInputCorpus() {
    }

    /** One case: its name, the request's bytes, the answer's status and error name, and the error shape asked for. */
    record Case(String name, String category, byte[] request, int status, String type, boolean dynamoShape) {
        @Override
        public String toString() {
            return category + " / " + name;
        }
    }

    static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = BadInputCorpus.class.getResourceAsStream("/bad-input/corpus.jsonl");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    cases.add(parse(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static Case parse(JsonNode c) {
        byte[] request;
        String path;
        if (c.has("raw")) {
            String raw = expand(c.get("raw").asText());
            request = raw.getBytes(StandardCharsets.ISO_8859_1);
            String[] requestLine = raw.split("\r\n", 2)[0].split(" ");
            path = requestLine.length > 1 ? requestLine[1] : "";
        } else {
            byte[] body = c.has("bodyBase64") ? Base64.getDecoder().decode(c.get("bodyBase64").asText())
                    : expand(c.get("body").asText()).getBytes(StandardCharsets.UTF_8);
            path = c.get("path").asText();
            StringBuilder head = new StringBuilder(c.get("method").asText()).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                head.append(h.getKey()).append(": ").append(h.getValue().asText()).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            request = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
        }
        String rawPath = path.split("\\?", 2)[0];
        boolean dynamoShape = c.has("shape") ? c.get("shape").asText().equals("dynamodb")
                : !rawPath.startsWith("/") || rawPath.equals("/");
        return new Case(c.get("name").asText(), c.get("category").asText(), request, c.get("status").asInt(),
                c.get("type").asText(), dynamoShape);
    }

    /** Expands {@code {{repeat N c}}} into the character c N times. */
    static String expand(String text) {
        Matcher m = REPEAT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, "");
            out.append(m.group(2).repeat(Integer.parseInt(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
