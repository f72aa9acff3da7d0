package io.jormundb.api.tls;

import io.jormundb.api.config.ConfigException;
import io.jormundb.api.config.ConfigParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --tls-cert}/{@code --tls-key}: which PEM files are taken, and what is said about the others. */
class ServerTlsTest {
    private static TestCertificates certs;

    @BeforeAll
    static void generate() {
        certs = TestCertificates.generate();
    }

    @AfterAll
    static void delete() {
        certs.delete();
    }

    @Test
    void aPkcs8AndAPkcs1RsaKeyAndAnEcKeyAreTaken() {
        assertEquals("CN=localhost", ServerTls.load(certs.cert(), certs.key()).subject());
        assertNotNull(ServerTls.load(certs.cert(), certs.pkcs1Key()).context());
        assertNotNull(ServerTls.load(certs.ecCert(), certs.ecKey()).context());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerTls.load(certs.cert(), certs.ecKey()));
        assertEquals("--tls-key " + certs.ecKey() + " is not the key of the certificate in --tls-cert " + certs.cert(),
                e.getMessage());
    }

    @Test
    void anEncryptedKeyIsRefusedWithAdvice() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerTls.load(certs.cert(), certs.encryptedKey()));
        assertEquals("--tls-key " + certs.encryptedKey() + " is encrypted; give it unencrypted (openssl pkey -in "
                + "key.pem -out plain.pem) and protect the file instead", e.getMessage());
    }

    @Test
    void aKeyFileGivenAsCertificateIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerTls.load(certs.key(), certs.key()));
        assertEquals("--tls-cert " + certs.key() + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                e.getMessage());
    }

    @Test
    void theFlagsGoTogether() {
        assertEquals("--tls-cert needs --tls-key", assertThrows(ConfigException.class, () -> ConfigParser.parse(
                new String[] {"--tls-cert", certs.cert().toString()}, Map.of())).getMessage());
        assertEquals("--mqtt-tls-port needs --tls-cert and --tls-key", assertThrows(ConfigException.class,
                () -> ConfigParser.parse(new String[] {"--mqtt-tls-port", "8883"}, Map.of())).getMessage());
        assertNotNull(ConfigParser.parse(new String[0], Map.of("JORMUN_TLS_CERT", certs.cert().toString(),
                "JORMUN_TLS_KEY", certs.pkcs1Key().toString())).tls());
    }
}
