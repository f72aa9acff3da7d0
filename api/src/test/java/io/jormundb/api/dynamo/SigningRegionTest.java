package io.jormundb.api.dynamo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The region of a request: its SigV4 credential scope's, or us-east-1. */
class SigningRegionTest {
    @Test
    void theRegionIsTheThirdPartOfTheCredentialScope() {
        assertEquals("eu-west-1", SigningRegion.of("AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/eu-west-1/dynamodb/"
                + "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc"));
        assertEquals("ap-southeast-2", SigningRegion.of("AWS4-HMAC-SHA256 Credential=local/20991231/ap-southeast-2/"
                + "dynamodb/aws4_request,SignedHeaders=host,Signature=0"));
        assertEquals("a".repeat(32), SigningRegion.of("AWS4-HMAC-SHA256 Credential=AKID/20240101/" + "a".repeat(32)
                + "/dynamodb/aws4_request"), "the longest region name");
        assertEquals("eu-north-1", SigningRegion.of("AWS4-HMAC-SHA256 Credential=bad, Credential=K/20240101/eu-north-1/"
                + "dynamodb/aws4_request"), "a later scope that is whole");
    }

    @Test
    void aRequestWithoutARegionNameIsTakenAsUsEast1() {
        for (String header : new String[] {null, "", "Bearer x", "AWS4-HMAC-SHA256 Signature=abc",
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/EU WEST/dynamodb/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1", "AWS4-HMAC-SHA256 Credential=AKID/2024010x/eu-west-1/",
                "AWS4-HMAC-SHA256 Credential=AKID/20240101//dynamodb/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKID/2024/eu-west-1/dynamodb/aws4_request",
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/" + "a".repeat(33) + "/dynamodb/aws4_request"}) {
            assertEquals("us-east-1", SigningRegion.of(header), header);
        }
    }
}
