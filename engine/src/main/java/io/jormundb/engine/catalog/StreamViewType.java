package io.jormundb.engine.catalog;

/** Which images the DynamoDB Streams API shows for a table whose stream is enabled. */
public enum StreamViewType {
    KEYS_ONLY,
    NEW_IMAGE,
    OLD_IMAGE,
    NEW_AND_OLD_IMAGES;

    /** Whether a record shows the item after the change. */
    public boolean showsNewImage() {
        return this == NEW_IMAGE || this == NEW_AND_OLD_IMAGES;
    }

    /** Whether a record shows the item before the change. */
    public boolean showsOldImage() {
        return this == OLD_IMAGE || this == NEW_AND_OLD_IMAGES;
    }
}
