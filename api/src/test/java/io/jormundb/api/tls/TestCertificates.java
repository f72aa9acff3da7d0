package io.jormundb.api.tls;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-signed test certificates for {@code 127.0.0.1} and {@code localhost}, made by openssl at
 * test time in a temporary directory (no private key is checked in), and a trust manager that
 * trusts them, as a client given the certificate would.
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** An RSA certificate with its key as PKCS#8 ({@link #key()}) and PKCS#1 ({@link #pkcs1Key()}), and an EC one. */
    public static TestCertificates generate() {
        try {
            Path dir = Files.createTempDirectory("jormundb-tls");
            TestCertificates c = new TestCertificates(dir);
            c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", c.key().toString(),
                    "-out", c.cert().toString(), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            c.openssl("rsa", "-in", c.key().toString(), "-traditional", "-out", c.pkcs1Key().toString());
            c.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days",
                    "2", "-keyout", c.ecKey().toString(), "-out", c.ecCert().toString(), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            c.openssl("pkcs8", "-topk8", "-in", c.key().toString(), "-out", c.encryptedKey().toString(),
                    "-passout", "pass:secret");
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path cert() {
        return dir.resolve("cert.pem");
    }

    /** The RSA key, PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public Path key() {
        return dir.resolve("key.pem");
    }

    /** The same RSA key, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    public Path pkcs1Key() {
        return dir.resolve("key-pkcs1.pem");
    }

    /** The same RSA key, encrypted with a password. */
    public Path encryptedKey() {
        return dir.resolve("key-encrypted.pem");
    }

    public Path ecCert() {
        return dir.resolve("ec-cert.pem");
    }

    public Path ecKey() {
        return dir.resolve("ec-key.pem");
    }

    /** Trusts {@link #cert()} and nothing else. */
    public TrustManagerFactory trust() {
        try (InputStream in = Files.newInputStream(cert())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("jormundb", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public void delete() {
        io.jormundb.api.TestServer.deleteRecursively(dir);
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
