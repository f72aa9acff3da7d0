package io.jormundb.api.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jormundb.api.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The credentials file of {@code --auth}: the access keys that may call the server, and
 * optionally the regions a signature may be scoped to. JSON (docs/security.md):
 * <pre>
 * {"keys": [
 *    {"accessKeyId": "AKIAADMIN", "secretAccessKey": "…"},
 *    {"accessKeyId": "AKIAREADER", "secretAccessKey": "…", "readOnly": true, "tables": ["Orders", "Audit-*"]}],
 *  "regions": ["eu-west-1"]}
 * </pre>
 * {@code readOnly} defaults to false, {@code tables} to {@code ["*"]} (every table),
 * {@code regions} to any region. A file that breaks these rules is a {@link ConfigException}
 * naming what is wrong (never the secret). Immutable.
 */
public final class Credentials {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern TABLE_PATTERN = Pattern.compile("[A-Za-z0-9_.*-]{1,255}");
    /** What a region name looks like ({@code us-east-1}, {@code eu-central-2}, {@code local}). */
    static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Set<String> FILE_MEMBERS = Set.of("keys", "regions");
    private static final Set<String> KEY_MEMBERS = Set.of("accessKeyId", "secretAccessKey", "readOnly", "tables");

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Map<String, AccessKey> keys;
    /** The regions a signature may be scoped to; empty: any. */
    private final List<String> regions;

    public Credentials(List<AccessKey> keys, List<String> regions) {
        Map<String, AccessKey> byId = new LinkedHashMap<>();
        for (AccessKey key : keys) {
            if (byId.put(key.id(), key) != null) {
                throw new ConfigException("access key id " + key.id() + " is given twice");
            }
        }
        this.keys = Map.copyOf(byId);
        this.regions = List.copyOf(regions);
    }

    /** Reads and checks the credentials file at {@code path}. */
    public static Credentials load(Path path) {
        String where = "--auth " + path + ": ";
        JsonNode json;
        try {
            // Strict: a member given twice, or text after the object, is a mistake to report, not to guess past.
            json = STRICT.readTree(Files.readAllBytes(path));
        } catch (JsonProcessingException e) {
            // Not Jackson's message: it quotes the text it could not read, which may be a secret.
            throw new ConfigException(where + "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + (e.getOriginalMessage().startsWith("Duplicate field")
                    ? ": a member is given twice" : ""));
        } catch (IOException e) {
            throw new ConfigException(where + "cannot read it (" + e.getMessage() + ")");
        }
        if (json == null || !json.isObject()) {
            throw new ConfigException(where + "must hold a JSON object {\"keys\": [...]}");
        }
        unknownMembers(json, FILE_MEMBERS, where + "");
        JsonNode keysJson = json.get("keys");
        if (keysJson == null || !keysJson.isArray() || keysJson.isEmpty()) {
            throw new ConfigException(where + "\"keys\" must be a non-empty list of access keys");
        }
        List<AccessKey> keys = new ArrayList<>();
        for (int i = 0; i < keysJson.size(); i++) {
            keys.add(key(keysJson.get(i), where + "keys[" + i + "]: "));
        }
        List<String> regions = strings(json.get("regions"), REGION, where + "\"regions\"");
        try {
            return new Credentials(keys, regions);
        } catch (ConfigException e) {
            throw new ConfigException(where + e.getMessage());
        }
    }

    private static AccessKey key(JsonNode json, String where) {
        if (!json.isObject()) {
            throw new ConfigException(where + "must be an object with accessKeyId and secretAccessKey");
        }
        JsonNode id = json.get("accessKeyId");
        if (id == null || !id.isTextual() || !KEY_ID.matcher(id.textValue()).matches()) {
            throw new ConfigException(where + "accessKeyId must be 1 to 128 letters, digits, '_', '.' or '-'");
        }
        where = where.replaceFirst(": $", "") + " (" + id.textValue() + "): ";
        unknownMembers(json, KEY_MEMBERS, where);
        JsonNode secret = json.get("secretAccessKey");
        if (secret == null || !secret.isTextual() || secret.textValue().isEmpty()) {
            throw new ConfigException(where + "secretAccessKey must be a non-empty string");
        }
        JsonNode readOnly = json.get("readOnly");
        if (readOnly != null && !readOnly.isBoolean()) {
            throw new ConfigException(where + "readOnly must be true or false");
        }
        List<String> tables = json.has("tables") ? strings(json.get("tables"), TABLE_PATTERN, where + "tables")
                : List.of("*");
        return new AccessKey(id.textValue(), secret.textValue(), readOnly != null && readOnly.booleanValue(), tables);
    }

    /** A member's list of names, empty when it is absent; present, it names at least one. */
    private static List<String> strings(JsonNode json, Pattern valid, String what) {
        if (json == null) {
            return List.of();
        }
        if (!json.isArray() || json.isEmpty()) {
            throw new ConfigException(what + " must be a non-empty list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : json) {
            if (!n.isTextual() || !valid.matcher(n.textValue()).matches()) {
                throw new ConfigException(what + ": '" + n.asText() + "' is not a valid name");
            }
            out.add(n.textValue());
        }
        return out;
    }

    private static void unknownMembers(JsonNode json, Set<String> known, String where) {
        json.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new ConfigException(where + "unknown member \"" + name + "\" (expected one of "
                        + known.stream().sorted().toList() + ")");
            }
        });
    }

    /** The key with this id. */
    public Optional<AccessKey> key(String accessKeyId) {
        return Optional.ofNullable(keys.get(accessKeyId));
    }

    /** Whether a signature may be scoped to {@code region}. */
    public boolean acceptsRegion(String region) {
        return REGION.matcher(region).matches() && (regions.isEmpty() || regions.contains(region));
    }

    public int size() {
        return keys.size();
    }

    @Override
    public String toString() {
        return keys.size() + " access keys" + (regions.isEmpty() ? "" : ", regions " + regions);
    }
}
