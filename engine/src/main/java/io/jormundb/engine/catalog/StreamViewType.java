package io.jormundb.engine.catalog;

/** Which images the DynamoDB Streams API shows for a table whose stream is enabled. */
public enum StreamViewType {
    KEYS_ONLY,
    NEW_IMAGE,
    OLD_IMAGE,
    NEW_AND_OLD_IMAGES
}
