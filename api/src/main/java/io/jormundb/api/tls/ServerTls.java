package io.jormundb.api.tls;

import io.jormundb.api.config.ConfigException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS identity from {@code --tls-cert} and {@code --tls-key}: a PEM certificate
 * chain (the server's certificate first, then its intermediates) and a PEM private key, either
 * PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA or EC) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
 * Encrypted keys are refused: the server starts unattended. One {@link SSLContext} serves HTTPS,
 * MQTT over TLS and secure WebSockets. A file that cannot be used is a {@link ConfigException}
 * that says why. Immutable.
 */
public final class ServerTls {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** The DER prefix that wraps a PKCS#1 RSA key into PKCS#8: version 0, rsaEncryption, NULL. */
    private static final byte[] RSA_ALGORITHM = {0x02, 0x01, 0x00, 0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48,
            (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final SSLContext context;
    private final X509Certificate certificate;

    private ServerTls(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /** Reads the certificate chain and the key, and checks that they belong together. */
    public static ServerTls load(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        try {
            if (!matches(chain.getFirst(), key)) {
                throw new ConfigException("--tls-key " + keyFile + " is not the key of the certificate in --tls-cert "
                        + certFile);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new ServerTls(context, chain.getFirst());
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("--tls-cert " + certFile + " and --tls-key " + keyFile + " cannot be used: "
                    + e.getMessage());
        }
    }

    public SSLContext context() {
        return context;
    }

    /** Who the certificate names, for the start line ({@code CN=db.example.com}). */
    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    private static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem block : blocks(file, "--tls-cert")) {
                if (block.type().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new ConfigException("--tls-cert " + file + ": not a valid certificate (" + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new ConfigException("--tls-cert " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) {
        for (Pem block : blocks(file, "--tls-key")) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der(), file);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(rsaToPkcs8(block.der()), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new ConfigException("--tls-key " + file + " is encrypted; give it "
                        + "unencrypted (openssl pkey -in key.pem -out plain.pem) and protect the file instead");
                default -> {
                    // Parameters or certificates beside the key: not ours to read.
                }
            }
        }
        throw new ConfigException("--tls-key " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY----- or "
                + "-----BEGIN RSA PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // Try the next algorithm.
            }
        }
        throw new ConfigException("--tls-key " + file + " is no RSA or EC private key");
    }

    /** PKCS#8 {@code SEQUENCE { version 0, rsaEncryption, OCTET STRING pkcs1 }} around a PKCS#1 key. */
    private static byte[] rsaToPkcs8(byte[] pkcs1) {
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
        byte[] body = concat(RSA_ALGORITHM, octets);
        return concat(new byte[] {0x30}, length(body.length), body);
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
        if (!certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "jormundb".getBytes(StandardCharsets.UTF_8);
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private record Pem(String type, byte[] der) {
    }

    private static List<Pem> blocks(Path file, String flag) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ConfigException(flag + " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        List<Pem> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Pem(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(flag + " " + file + ": a PEM block of bad base64");
            }
        }
        return blocks;
    }
}
