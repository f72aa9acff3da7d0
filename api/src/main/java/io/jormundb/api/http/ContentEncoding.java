package io.jormundb.api.http;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A request body sent with a {@code Content-Encoding}, decoded as DynamoDB decodes it: {@code gzip}
 * (or {@code x-gzip}), {@code deflate} (zlib) and {@code identity}, several of them applied in the
 * order listed. The decoded body is limited like a plain one (413 beyond); an encoding this
 * server does not know, or a body that is not what its encoding says, is a 400
 * SerializationException. A signed request's signature covers the body as sent, not as decoded.
 */
public final class ContentEncoding {
    private ContentEncoding() {
    }

    /**
     * {@code body} decoded from {@code contentEncoding} (the header's value, or {@code null}), at
     * most {@code maxBytes} once decoded.
     */
    public static byte[] decode(String contentEncoding, byte[] body, int maxBytes) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return body;
        }
        String[] codings = contentEncoding.split(",");
        byte[] decoded = body;
        for (int i = codings.length - 1; i >= 0; i--) {
            String coding = codings[i].strip().toLowerCase(Locale.ROOT);
            decoded = switch (coding) {
                case "identity" -> decoded;
                case "gzip", "x-gzip" -> inflate(coding, decoded, maxBytes, true);
                case "deflate" -> inflate(coding, decoded, maxBytes, false);
                default -> throw new DynamoException(ErrorCode.SERIALIZATION, "Content-Encoding '" + coding
                        + "' is not supported: send the body as is, or with gzip or deflate");
            };
        }
        return decoded;
    }

    private static byte[] inflate(String coding, byte[] data, int maxBytes, boolean gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(1024, data.length * 4)));
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(data))
                : new InflaterInputStream(new ByteArrayInputStream(data))) {
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new DynamoException(ErrorCode.REQUEST_TOO_LARGE, "Request size exceeds " + maxBytes
                            + " bytes once decoded from " + coding);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A cut-off stream's EOFException says nothing (its message is null).
            String why = e instanceof EOFException ? "it ends before its data does" : e.getMessage();
            throw new DynamoException(ErrorCode.SERIALIZATION, "The body is not " + coding + " data, as its "
                    + "Content-Encoding says" + (why == null ? "" : ": " + why));
        }
        return out.toByteArray();
    }
}
